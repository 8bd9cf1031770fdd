package parse_test

import (
	"fmt"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
)

func ExampleParseSalary() {
	for _, text := range []string{
		"Neon Health | Founding Sr Backend Engineer | SF | $170-225K + equity",
		"AUD $100,000 to $170,000",
		"€55.000 – €65.000 brutto/Jahr",
		"₹12 LPA",
		"From $40 an hour",
		"$53K-$91K (Glassdoor est.)",
		"We raised $40M and have 10,000 employees; $2,000 signing bonus.",
	} {
		s := parse.ParseSalary(text)
		if s == nil {
			fmt.Println("no pay")
			continue
		}
		fmt.Println(parse.FormatSalary(s), s.Provenance)
	}
	// Output:
	// USD 170000-225000 employer-text
	// AUD 100000-170000 employer-text
	// EUR 55000-65000/year employer-text
	// INR 1200000-1200000/year employer-text
	// from USD 40/hour employer-text
	// USD 53000-91000 platform-estimate
	// no pay
}

func ExampleParseSalary_severalRanges() {
	s := parse.ParseSalary("R$10-14.5k/mo (Midlevel) or R$14k-21k/mo (Senior) + Generous stock option package")
	fmt.Println(parse.FormatSalary(s))
	for _, r := range s.Ranges {
		fmt.Println(*r.Min, *r.Max, r.Currency, r.Period)
	}
	// Output:
	// BRL 10000-21000/month
	// 10000 14500 BRL month
	// 14000 21000 BRL month
}

func ExampleParsePrice() {
	for _, text := range []string{"$1,234.56", "1.234,56 €", "CHF 1'049,95", "1128240 рублей"} {
		amount, currency := parse.ParsePrice(text)
		fmt.Println(*amount, currency, parse.CurrencyCode(currency))
	}
	// Output:
	// 1234.56 $ USD
	// 1234.56 € EUR
	// 1049.95 CHF CHF
	// 1.12824e+06 руб RUB
}

func ExampleSalaryFromAmounts() {
	lo, hi := 150000.0, 180000.0
	s := parse.SalaryFromAmounts("Lever salaryRange", &lo, &hi, "USD", "per-year-salary")
	jobtrends.DefaultNormalizer().Normalize(s)
	fmt.Println(parse.FormatSalary(s), s.Provenance, *s.AnnualMinUSD, *s.AnnualMaxUSD)
	// Output:
	// USD 150000-180000/year employer-structured 150000 180000
}
