package web_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/testdb"
)

// TestSchemaDescribed requires every element of the portal's schema to have a
// description, as a client's schema explorer shows it: the schema itself, every type,
// field, argument, input field and enum value, and every directive the portal defines.
// It reads the schema by introspection through the real handler, so it checks what
// clients see. The introspection types (__Type and the like) and the built-in scalars
// and directives belong to GraphQL itself, and are left out.
func TestSchemaDescribed(t *testing.T) {
	c := client.New(newHandler(t, testdb.New(t)), client.Path("/graphql"))
	type described struct {
		Name        string
		Description *string
	}
	type field struct {
		Name        string
		Description *string
		Args        []described
	}
	var resp struct {
		Schema struct {
			Description *string
			Types       []struct {
				Name        string
				Description *string
				Kind        string
				Fields      []field
				InputFields []described
				EnumValues  []described
			}
			Directives []struct {
				Name        string
				Description *string
				Args        []described
			}
		} `json:"__schema"`
	}
	c.MustPost(`{ __schema {
		description
		types {
			name kind description
			fields(includeDeprecated: true) { name description args(includeDeprecated: true) { name description } }
			inputFields(includeDeprecated: true) { name description }
			enumValues(includeDeprecated: true) { name description }
		}
		directives { name description args(includeDeprecated: true) { name description } }
	} }`, &resp)

	var missing []string
	seen := 0
	check := func(what string, d described) {
		seen++
		if d.Description == nil || strings.TrimSpace(*d.Description) == "" {
			missing = append(missing, what)
		}
	}
	check("the schema", described{Name: "schema", Description: resp.Schema.Description})
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	for _, ty := range resp.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") || builtin[ty.Name] {
			continue
		}
		check(strings.ToLower(ty.Kind)+" "+ty.Name, described{ty.Name, ty.Description})
		for _, f := range ty.Fields {
			check("field "+ty.Name+"."+f.Name, described{f.Name, f.Description})
			for _, a := range f.Args {
				check("argument "+ty.Name+"."+f.Name+"("+a.Name+")", a)
			}
		}
		for _, f := range ty.InputFields {
			check("input field "+ty.Name+"."+f.Name, f)
		}
		for _, v := range ty.EnumValues {
			check("enum value "+ty.Name+"."+v.Name, v)
		}
	}
	builtinDirectives := map[string]bool{"include": true, "skip": true, "deprecated": true, "specifiedBy": true, "oneOf": true, "defer": true}
	for _, d := range resp.Schema.Directives {
		if builtinDirectives[d.Name] {
			continue
		}
		check("directive @"+d.Name, described{d.Name, d.Description})
		for _, a := range d.Args {
			check("argument @"+d.Name+"("+a.Name+")", a)
		}
	}
	if seen < 400 {
		t.Fatalf("only %d schema elements seen; the introspection query did not read the schema", seen)
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d schema elements have no description:\n  %s", len(missing), seen, strings.Join(missing, "\n  "))
	}
}
