// The peer of the jobtrends crawl benchmark: Crawlee's CheerioCrawler
// (npm crawlee, pinned in package-lock.json; `npm ci` in this folder)
// crawling the replay server's listing with in-memory storage and an
// extraction equivalent to jobtrends' page parsers, minus enrichment:
//
//   HN thread pages  every top-level comment: id, date, the header line
//                    "Company | Role | Location | ..." split into company,
//                    title and location, remote, a salary range found by a
//                    regular expression, the text
//   job pages        every schema.org JobPosting JSON-LD block: title,
//                    company, location, remote, employment type, date,
//                    baseSalary, the description as plain text
//
// Postings go to the crawler's dataset (in memory). It prints one JSON
// line: pages, bytes, postings, failed, wall and CPU seconds of the crawl
// (start-up excluded), as the Go contenders do.
//
// usage: node crawlee.mjs --listing URL [--concurrency 8] [--budget SECONDS]

import { CheerioCrawler, Configuration, log, LogLevel } from 'crawlee';
import * as cheerio from 'cheerio';

const args = { listing: '', concurrency: 8, budget: 0 };
for (let i = 2; i < process.argv.length; i += 2) {
    const k = process.argv[i].replace(/^--?/, '');
    if (!(k in args)) throw new Error(`unknown flag ${process.argv[i]}`);
    args[k] = typeof args[k] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

// Like the Go contenders, refuse anything but a loopback address.
function loopbackOnly(raw) {
    const h = new URL(raw).hostname;
    if (!/^127\.\d+\.\d+\.\d+$/.test(h) && h !== '[::1]') {
        throw new Error(`refused: ${raw} is not on a loopback address`);
    }
}
loopbackOnly(args.listing);

log.setLevel(LogLevel.WARNING);
const config = new Configuration({ persistStorage: false, purgeOnStart: true });

const salaryRe = /[$€£]\s?\d[\d,.]*\s?[kK]?(?:\s*(?:-|–|to)\s*[$€£]?\s?\d[\d,.]*\s?[kK]?)?/;
const remoteRe = /\bremote\b/i;

function hnPostings($, pageURL) {
    const out = [];
    $('tr.athing.comtr').each((_, tr) => {
        const row = $(tr);
        const ind = row.find('td.ind').first();
        let indent = ind.attr('indent');
        if (indent === undefined) indent = String(Number(ind.find('img').attr('width') || 0) / 40);
        if (indent !== '0') return;
        const text = row.find('.commtext').first();
        if (text.length === 0) return;
        let header = '';
        for (const n of text.contents().toArray()) {
            if (n.type === 'tag' && n.name === 'p') break;
            header += $(n).text();
        }
        header = header.trim();
        const parts = header.split('|').map((s) => s.trim());
        const all = text.text();
        const salary = all.match(salaryRe);
        out.push({
            id: row.attr('id'),
            url: new URL(`item?id=${row.attr('id')}`, pageURL).href,
            date: row.find('span.age').attr('title'),
            company: parts[0] || '',
            title: parts[1] || '',
            location: parts[2] || '',
            remote: remoteRe.test(header),
            salary: salary ? salary[0] : null,
            description: all,
        });
    });
    return out;
}

function jobPostings(node, out) {
    if (Array.isArray(node)) {
        node.forEach((n) => jobPostings(n, out));
        return;
    }
    if (!node || typeof node !== 'object') return;
    if (node['@graph']) jobPostings(node['@graph'], out);
    const type = [].concat(node['@type'] || []);
    if (type.includes('JobPosting')) out.push(node);
}

function ldPostings($, pageURL) {
    const out = [];
    $('script[type="application/ld+json"]').each((_, s) => {
        let data;
        try {
            data = JSON.parse($(s).text());
        } catch {
            return;
        }
        const found = [];
        jobPostings(data, found);
        for (const jp of found) {
            const loc = [].concat(jp.jobLocation || [])[0]?.address || {};
            out.push({
                url: pageURL,
                title: jp.title,
                company: jp.hiringOrganization?.name,
                location: [loc.addressLocality, loc.addressRegion, loc.addressCountry].filter(Boolean).join(', '),
                remote: jp.jobLocationType === 'TELECOMMUTE',
                employmentType: jp.employmentType,
                date: jp.datePosted,
                salary: jp.baseSalary ?? null,
                description: jp.description ? cheerio.load(jp.description, { _useHtmlParser2: true }).text() : '',
            });
        }
    });
    return out;
}

let pages = 0;
let bytes = 0;
let postings = 0;
let failed = 0;
let listed = 0;
let stopped = false;

const crawler = new CheerioCrawler({
    minConcurrency: args.concurrency,
    maxConcurrency: args.concurrency,
    maxRequestRetries: 0,
    async requestHandler({ request, $, body, pushData }) {
        if (request.label === 'LIST') {
            const urls = $('a[href]').map((_, a) => $(a).attr('href')).get();
            urls.forEach(loopbackOnly);
            listed = urls.length;
            await crawler.addRequests(urls);
            return;
        }
        if (stopped) return;
        const items = new URL(request.url).pathname.endsWith('/item') ? hnPostings($, request.url) : ldPostings($, request.url);
        await pushData(items);
        pages++;
        bytes += Buffer.byteLength(body);
        postings += items.length;
    },
    failedRequestHandler() {
        failed++;
    },
}, config);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let timer;
if (args.budget > 0) {
    timer = setTimeout(() => {
        stopped = true;
        crawler.autoscaledPool?.abort();
    }, args.budget * 1000);
}
await crawler.run([{ url: args.listing, label: 'LIST' }]);
clearTimeout(timer);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({
    contender: 'crawlee',
    pages,
    bytes,
    postings,
    failed,
    wall,
    cpu: (cpu.user + cpu.system) / 1e6,
    listed,
}) + '\n');
process.exit(0);
