package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The annual report is being added to the schema while this benchmark is written, so
// B3 does not spell out its fields: it asks the server's introspection for them and
// selects every field, the researcher's "whole report".

// introspection asks for every type with its fields, enough to build a selection.
const introspection = `query Introspection {
  __schema { types { name kind fields { name args { type { kind } defaultValue } type { ...Ref } } } }
}
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

type schemaType struct {
	Name   string        `json:"name"`
	Kind   string        `json:"kind"`
	Fields []schemaField `json:"fields"`
}

type schemaField struct {
	Name string      `json:"name"`
	Args []schemaArg `json:"args"`
	Type typeRef     `json:"type"`
}

type schemaArg struct {
	Type         struct{ Kind string } `json:"type"`
	DefaultValue *string               `json:"defaultValue"`
}

type typeRef struct {
	Kind   string   `json:"kind"`
	Name   *string  `json:"name"`
	OfType *typeRef `json:"ofType"`
}

// named is the type under the list and non-null wrappers.
func (t typeRef) named() string {
	for r := &t; r != nil; r = r.OfType {
		if r.Name != nil {
			return *r.Name
		}
	}
	return ""
}

// required says whether the field has an argument that must be given.
func (f schemaField) required() bool {
	return slices.ContainsFunc(f.Args, func(a schemaArg) bool {
		return a.Type.Kind == "NON_NULL" && a.DefaultValue == nil
	})
}

// maxSelectionDepth bounds the nesting of objects in an every-field selection.
const maxSelectionDepth = 6

// everyFieldOf returns the selection set of every field of the type that the Query
// field returns: nested objects as deep as maxSelectionDepth, no type twice on a path
// (so no cycles), and no field that needs an argument.
func everyFieldOf(ctx context.Context, c *gqlClient, queryField string) (string, error) {
	data, err := c.post(ctx, requestBody(introspection, "Introspection"))
	if err != nil {
		return "", fmt.Errorf("introspection: %w", err)
	}
	var answer struct {
		Data struct {
			Schema struct {
				Types []schemaType `json:"types"`
			} `json:"__schema"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &answer); err != nil {
		return "", fmt.Errorf("introspection: %w", err)
	}
	types := keyTypes(answer.Data.Schema.Types)
	i := slices.IndexFunc(types["Query"].Fields, func(f schemaField) bool { return f.Name == queryField })
	if i < 0 {
		return "", fmt.Errorf("introspection: Query has no field %s", queryField)
	}
	return selection(types, types["Query"].Fields[i].Type.named(), nil), nil
}

func keyTypes(list []schemaType) map[string]schemaType {
	types := make(map[string]schemaType, len(list))
	for _, t := range list {
		types[t.Name] = t
	}
	return types
}

// selection selects every field of the named type; path holds the types above it.
func selection(types map[string]schemaType, name string, path []string) string {
	t := types[name]
	if t.Kind == "INTERFACE" || t.Kind == "UNION" {
		return "{ __typename }"
	}
	path = append(slices.Clone(path), name)
	var parts []string
	for _, f := range t.Fields {
		sub := types[f.Type.named()]
		switch {
		case f.required():
		case sub.Kind == "SCALAR" || sub.Kind == "ENUM":
			parts = append(parts, f.Name)
		case len(path) >= maxSelectionDepth || slices.Contains(path, sub.Name):
		default:
			if s := selection(types, sub.Name, path); s != "" {
				parts = append(parts, f.Name+" "+s)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// leaves counts the scalar fields of a selection set, for the report.
func leaves(selection string) int {
	n := 0
	tokens := strings.Fields(selection)
	for i, t := range tokens {
		if t != "{" && t != "}" && (i+1 == len(tokens) || tokens[i+1] != "{") {
			n++
		}
	}
	return n
}
