package parse

import (
	"reflect"
	"slices"
	"sort"
	"testing"
)

// TestSkillRuleExamples checks the examples and counter-examples documented
// in rules/skills.yaml.
func TestSkillRuleExamples(t *testing.T) {
	c := DefaultClassifier()
	for _, r := range DefaultRules().Skills {
		for _, ex := range r.Examples {
			t.Run(r.Name+"/example/"+ex, func(t *testing.T) {
				if got := c.Skills(ex); !slices.Contains(got, r.Name) {
					t.Errorf("Skills(%q) = %q, want it to hold %q", ex, got, r.Name)
				}
			})
		}
		for _, ex := range r.CounterExamples {
			t.Run(r.Name+"/counter/"+ex, func(t *testing.T) {
				if got := c.Skills(ex); slices.Contains(got, r.Name) {
					t.Errorf("Skills(%q) = %q, documented as not holding %q", ex, got, r.Name)
				}
			})
		}
	}
}

func TestSkills(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"list", "Python, SQL, PyTorch, Kubernetes and AWS", []string{"AWS", "Kubernetes", "PyTorch", "Python", "SQL"}},
		{"aliases", "sklearn, k8s, golang, huggingface, pyspark", []string{"Go", "Hugging Face", "Kubernetes", "Spark", "scikit-learn"}},
		{"counted once", "Python. More Python. python3!", []string{"Python"}},
		{"r in a list", "Experience with Python, R and SQL", []string{"Python", "R", "SQL"}},
		{"r and d", "R&D team working in Python", []string{"Python"}},
		{"r and d spaced", "our R & D lab uses Python", []string{"Python"}},
		{"r and d escaped", "R&amp;D team, Python", []string{"Python"}},
		{"brazilian real", "Salário R$ 10.000, vaga Python", []string{"Python"}},
		{"q and r", "Q&R sessions with the Python guild", []string{"Python"}},
		{"r rated", "no R-rated jokes, Python only", []string{"Python"}},
		{"initial", "Reach out to John R. Smith", nil},
		{"r alone without context", "Section R of the handbook", nil},
		{"go language", "Services in Go and Python", []string{"Go", "Python"}},
		{"go to market", "our go-to-market team loves Python", []string{"Python"}},
		{"go to", "Go to careers.example.com to apply; Python", []string{"Python"}},
		{"lets go", "Let's go build with Python", []string{"Python"}},
		{"go lowercase verb", "we go fast with Python", []string{"Python"}},
		{"c vs cpp", "C++ and Python", []string{"C++", "Python"}},
		{"c vs csharp", "C# and Python", []string{"C#", "Python"}},
		{"c with cpp", "C/C++ and Python", []string{"C", "C++", "Python"}},
		{"c suite", "Reporting to the C-suite; Python", []string{"Python"}},
		{"series c", "Fresh off our Series C, hiring Python devs", []string{"Python"}},
		{"spark joy", "tools that spark joy", nil},
		{"spark data", "Spark and Kafka pipelines", []string{"Kafka", "Spark"}},
		{"spark alone in sentence", "Apache Spark", []string{"Spark"}},
		{"java vs javascript", "JavaScript only", []string{"JavaScript"}},
		{"nosql is not sql", "NoSQL databases", nil},
		{"cv is a resume", "Send your CV to jobs@example.com", nil},
		{"llm", "Fine-tune LLMs with RAG", []string{"LLMs", "RAG"}},
		{"empty", "", nil},
	}
	c := DefaultClassifier()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Skills(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Skills(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSkillsSortedAndUnique(t *testing.T) {
	c := DefaultClassifier()
	text := "Python python PYTHON, PyTorch pytorch, AWS aws, Go golang, C++ cpp"
	got := c.Skills(text)
	if !sort.StringsAreSorted(got) {
		t.Errorf("Skills not sorted: %q", got)
	}
	seen := map[string]bool{}
	for _, s := range got {
		if seen[s] {
			t.Errorf("Skills returned %q twice: %q", s, got)
		}
		seen[s] = true
	}
}

func FuzzSkills(f *testing.F) {
	for _, s := range []string{
		"Python, R, SQL", "R&D", "go-to-market Go", "C/C++/C#", "Spark joy", "J.R. R", "🤗 Transformers",
		"R", "C", "&amp;", "\xff\xfe", "Go.", ".Go", "R$", "x-Ray Ray",
	} {
		f.Add(s)
	}
	c := DefaultClassifier()
	f.Fuzz(func(t *testing.T, s string) {
		got := c.Skills(s)
		seen := map[string]bool{}
		for _, k := range got {
			if seen[k] {
				t.Fatalf("Skills(%q) returned %q twice", s, k)
			}
			seen[k] = true
		}
		if !sort.StringsAreSorted(got) {
			t.Fatalf("Skills(%q) not sorted: %q", s, got)
		}
	})
}

func BenchmarkSkills(b *testing.B) {
	c := DefaultClassifier()
	text := ""
	for range 20 {
		text += "We build ML systems in Python and Go on Kubernetes, with PyTorch, Spark and Airflow. " +
			"You have 5+ years of experience, R&D mindset, and love our go-to-market team. "
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		c.Skills(text)
	}
}
