package grafana

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is one provisioning file, its values expanded.
type File struct {
	Path        string
	Datasources []Datasource
	// Deleted are the names under deleteDatasources: Grafana removes
	// them; Ariadne only says it ignores them.
	Deleted []string
}

// Datasource is one entry of datasources:, with the keys Ariadne reads.
type Datasource struct {
	Name          string `yaml:"name"`
	UID           string `yaml:"uid"`
	Type          string `yaml:"type"`
	URL           string `yaml:"url"`
	IsDefault     bool   `yaml:"isDefault"`
	BasicAuth     bool   `yaml:"basicAuth"`
	BasicAuthUser string `yaml:"basicAuthUser"`
	User          string `yaml:"user"`
	// JSONData is kept whole: what Ariadne does not read is reported.
	JSONData       map[string]any    `yaml:"jsonData"`
	SecureJSONData map[string]string `yaml:"secureJsonData"`

	// Source is the file the datasource came from.
	Source string `yaml:"-"`
}

// Parse reads one provisioning file (apiVersion 1), expanding every value
// (never a key) with lk, as Grafana does before it reads the file.
func Parse(path string, data []byte, lk Lookup) (File, error) {
	f := File{Path: path}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return f, nil // an empty file provisions nothing
		}
		return f, err
	}
	if err := expandNode(&root, lk); err != nil {
		return f, err
	}
	var doc struct {
		APIVersion  any          `yaml:"apiVersion"`
		Datasources []Datasource `yaml:"datasources"`
		Delete      []struct {
			Name string `yaml:"name"`
		} `yaml:"deleteDatasources"`
	}
	if err := root.Decode(&doc); err != nil {
		return f, err
	}
	switch v := fmt.Sprint(doc.APIVersion); v {
	case "1", "0", "<nil>":
	default:
		return f, fmt.Errorf("apiVersion %s: Ariadne reads apiVersion 1", v)
	}
	for i := range doc.Datasources {
		doc.Datasources[i].Source = path
		doc.Datasources[i].Type = strings.ToLower(strings.TrimSpace(doc.Datasources[i].Type))
	}
	f.Datasources = doc.Datasources
	for _, d := range doc.Delete {
		f.Deleted = append(f.Deleted, d.Name)
	}
	return f, nil
}

// expandNode expands the scalar values below n. A plain scalar that held a
// variable is re-typed from what it became, so timeout: $TIMEOUT is the
// number the variable holds.
func expandNode(n *yaml.Node, lk Lookup) error {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			if err := expandNode(c, lk); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			if err := expandNode(n.Content[i], lk); err != nil {
				return fmt.Errorf("%s: %w", n.Content[i-1].Value, err)
			}
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return nil
		}
		v, err := Expand(n.Value, lk)
		if err != nil {
			return err
		}
		if n.Style == 0 && v != n.Value {
			n.Tag = ""
		}
		n.Value = v
	}
	return nil
}

// headers are jsonData.httpHeaderNameN with secureJsonData.httpHeaderValueN,
// in N's order.
func (d Datasource) headers() []header {
	var out []header
	for k, v := range d.JSONData {
		num, ok := strings.CutPrefix(k, "httpHeaderName")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil {
			continue
		}
		out = append(out, header{n: n, name: fmt.Sprint(v), value: d.SecureJSONData["httpHeaderValue"+num]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n < out[j].n })
	return out
}

type header struct {
	n           int
	name, value string
}

// decodeJSON decodes jsonData[key] into v; false when the key is absent.
func (d Datasource) decodeJSON(key string, v any) (bool, error) {
	raw, ok := d.JSONData[key]
	if !ok || raw == nil {
		return false, nil
	}
	b, err := yaml.Marshal(raw)
	if err != nil {
		return true, err
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return true, fmt.Errorf("jsonData.%s: %w", key, err)
	}
	return true, nil
}

// tag is one entry of tracesTo*.tags or mappedTags: Grafana writes a plain
// name (older files) or {key, value}, value being the name on the other
// side (a Loki label, a Prometheus label).
type tag struct {
	Key   string `yaml:"key"`
	Value string `yaml:"value"`
}

func (t *tag) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		t.Key = n.Value
		return nil
	}
	type plain tag
	return n.Decode((*plain)(t))
}

type tracesToLogs struct {
	DatasourceUID      string `yaml:"datasourceUid"`
	Tags               []tag  `yaml:"tags"`
	MappedTags         []tag  `yaml:"mappedTags"`
	MapTagNamesEnabled bool   `yaml:"mapTagNamesEnabled"`
	SpanStartTimeShift string `yaml:"spanStartTimeShift"`
	SpanEndTimeShift   string `yaml:"spanEndTimeShift"`
	FilterByTraceID    bool   `yaml:"filterByTraceID"`
	FilterBySpanID     bool   `yaml:"filterBySpanID"`
	CustomQuery        bool   `yaml:"customQuery"`
	Query              string `yaml:"query"`
}

type tracesToMetrics struct {
	DatasourceUID      string `yaml:"datasourceUid"`
	Tags               []tag  `yaml:"tags"`
	SpanStartTimeShift string `yaml:"spanStartTimeShift"`
	SpanEndTimeShift   string `yaml:"spanEndTimeShift"`
	Queries            []struct {
		Name  string `yaml:"name"`
		Query string `yaml:"query"`
	} `yaml:"queries"`
}

type exemplarDestination struct {
	Name          string `yaml:"name"`
	DatasourceUID string `yaml:"datasourceUid"`
	URL           string `yaml:"url"`
}

type derivedField struct {
	Name            string `yaml:"name"`
	MatcherRegex    string `yaml:"matcherRegex"`
	MatcherType     string `yaml:"matcherType"`
	URL             string `yaml:"url"`
	URLDisplayLabel string `yaml:"urlDisplayLabel"`
	DatasourceUID   string `yaml:"datasourceUid"`
}

type uidRef struct {
	DatasourceUID string `yaml:"datasourceUid"`
}
