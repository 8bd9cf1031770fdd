#!/bin/sh
# The jobtrends benchmark script: builds bench/bin/jtbench, installs the
# pinned Crawlee (npm ci) when needed, and runs `jtbench run` with the
# flags given (see bench/README.md):
#
#   JOBTRENDS_CORPUS=../shared/corpus bench/run.sh            the full run (about 10 minutes)
#   JOBTRENDS_CORPUS=../shared/corpus bench/run.sh -quick     a quick run (about 2 minutes)
#   bench/run.sh -h                                            every flag
#
# Everything runs on 127.0.0.1; nothing is fetched from the network
# except, once, the npm packages of package-lock.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
go build -o "$here/bin/jtbench" ./bench
crawlee=true
for a in "$@"; do
	case "$a" in
	-crawlee=false | --crawlee=false) crawlee=false ;;
	esac
done
if [ "$crawlee" = true ] && { [ ! -f "$here/node_modules/.installed" ] ||
	[ "$here/package-lock.json" -nt "$here/node_modules/.installed" ]; }; then
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
if [ -z "${JOBTRENDS_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
	JOBTRENDS_CORPUS=$(cd ../shared/corpus && pwd)
	export JOBTRENDS_CORPUS
fi
exec "$here/bin/jtbench" run "$@"
