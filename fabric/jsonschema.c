/* jsonschema.c - `mriovsim schema` (contract §9): the key tables of schema.c written as a
 * JSON Schema (draft 2020-12), so that editors (the YAML language server) and CI
 * (check-jsonschema) check topology files against the keys the loader really reads. */
#include "jsonschema.h"
#include "loadfield.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The number syntax of units.c (scan_number) and its unit suffixes. */
#define NUM "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?"
#define NAME_CH "[A-Za-z0-9_-]"

/* A small pretty-printing JSON writer: values are separated and indented as they come. */
struct jw {
	FILE *f;
	int depth;
	int n[40];      /* values written at each depth */
	int after_key;  /* the next value follows "key": on the same line */
};

static void jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->n[w->depth]++)
		fputc(',', w->f);
	fprintf(w->f, "\n%*s", 2 * w->depth, "");
}

static void jw_str_raw(struct jw *w, const char *s)
{
	fputc('"', w->f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(w->f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(w->f, "\\u%04x", *s);
		else
			fputc(*s, w->f);
	}
	fputc('"', w->f);
}

static void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	jw_str_raw(w, k);
	fputs(": ", w->f);
	w->after_key = 1;
}

static void jw_str(struct jw *w, const char *s)
{
	jw_sep(w);
	jw_str_raw(w, s);
}

/* A value already in JSON: a number, true/false, or one of the tables' json fragments. */
static void jw_raw(struct jw *w, const char *json)
{
	jw_sep(w);
	fputs(json, w->f);
}

static void jw_begin(struct jw *w, char c)
{
	jw_sep(w);
	fputc(c, w->f);
	w->n[++w->depth] = 0;
}

static void jw_end(struct jw *w, char c)
{
	if (w->n[w->depth--])
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	fputc(c, w->f);
}

static void jw_kstr(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

static void jw_kraw(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_raw(w, v);
}

static void jw_kuint(struct jw *w, const char *k, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	jw_kraw(w, k, buf);
}

static int all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* The default as JSON: a whole number or a boolean as such, anything else as text. */
static void write_default(struct jw *w, const struct field *f)
{
	if (all_digits(f->def) || (f->type == F_BOOL && (strcmp(f->def, "true") == 0 ||
							 strcmp(f->def, "false") == 0)))
		jw_kraw(w, "default", f->def);
	else
		jw_kstr(w, "default", f->def);
}

static void write_uint_set(struct jw *w, const uint64_t *set)
{
	jw_key(w, "enum");
	jw_begin(w, '[');
	for (; *set; set++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)*set);
		jw_raw(w, buf);
	}
	jw_end(w, ']');
}

/* "type": "integer", "minimum": .., "maximum": .., or an enumeration of the allowed set. */
static void write_uint(struct jw *w, const struct field *f)
{
	if (f->allowed) {
		write_uint_set(w, f->allowed);
	} else {
		jw_kstr(w, "type", "integer");
		jw_kuint(w, "minimum", f->min);
		jw_kuint(w, "maximum", f->max);
	}
}

/* A quantity: a bare number (seconds, bytes, bit/s) or a string with its unit. */
static void write_quantity(struct jw *w, const struct field *f, const char *def)
{
	char ref[32];

	jw_key(w, "anyOf");
	jw_begin(w, '[');
	if (f->type == F_SIZE) {
		jw_begin(w, '{');
		write_uint(w, f);
		jw_end(w, '}');
	} else {
		jw_begin(w, '{');
		jw_kstr(w, "type", "number");
		jw_kraw(w, f->min ? "exclusiveMinimum" : "minimum", "0");
		jw_end(w, '}');
	}
	snprintf(ref, sizeof(ref), "#/$defs/%s", def);
	jw_begin(w, '{');
	jw_kstr(w, "$ref", ref);
	jw_end(w, '}');
	jw_end(w, ']');
}

static void write_enum(struct jw *w, const char *const *names)
{
	jw_key(w, "enum");
	jw_begin(w, '[');
	for (; *names; names++)
		jw_str(w, *names);
	jw_end(w, ']');
}

static void write_object(struct jw *w, const struct field *tab);

/* The keywords of one key's value (inside its braces). */
static void write_value(struct jw *w, const struct field *f)
{
	switch (f->type) {
	case F_STR:
		jw_kstr(w, "type", "string");
		break;
	case F_NAME:
		jw_kstr(w, "type", "string");
		jw_kstr(w, "pattern", f->flags & FL_RANGE
			? "^" NAME_CH "*(\\[[0-9]+-[0-9]+\\])?" NAME_CH "*$" : "^" NAME_CH "+$");
		jw_kraw(w, "minLength", "1");
		break;
	case F_REF:
		jw_kstr(w, "type", "string");
		jw_kraw(w, "minLength", "1");
		break;
	case F_TIME:
		write_quantity(w, f, "time");
		break;
	case F_RATE:
		write_quantity(w, f, "rate");
		break;
	case F_SIZE:
		write_quantity(w, f, "size");
		break;
	case F_UINT:
		write_uint(w, f);
		break;
	case F_ENUM:
		write_enum(w, f->names);
		break;
	case F_BOOL:
		jw_kstr(w, "type", "boolean");
		break;
	case F_MAP:
		write_object(w, f->sub);
		break;
	case F_CUSTOM:
		if (f->sub && (f->flags & FL_LIST)) {
			jw_kstr(w, "type", "array");
			if (f->min)
				jw_kuint(w, "minItems", f->min);
			jw_key(w, "items");
			jw_begin(w, '{');
			write_object(w, f->sub);
			jw_end(w, '}');
		} else if (f->sub) {
			write_object(w, f->sub);
		} else if (f->names) {
			write_enum(w, f->names);
		} else if (f->json) {
			/* a fragment of the tables: its keywords go inside this key's braces */
			jw_key(w, "allOf");
			jw_begin(w, '[');
			jw_raw(w, f->json);
			jw_end(w, ']');
		}
		break;
	}
}

/* "type": "object" with the table's keys, the required ones, and nothing else allowed. */
static void write_object(struct jw *w, const struct field *tab)
{
	int nreq = 0;

	jw_kstr(w, "type", "object");
	jw_key(w, "properties");
	jw_begin(w, '{');
	for (const struct field *f = tab; f->key; f++) {
		jw_key(w, f->key);
		jw_begin(w, '{');
		if (f->doc)
			jw_kstr(w, "description", f->doc);
		if (f->def)
			write_default(w, f);
		write_value(w, f);
		jw_end(w, '}');
		nreq += f->required;
	}
	jw_end(w, '}');
	if (nreq) {
		jw_key(w, "required");
		jw_begin(w, '[');
		for (const struct field *f = tab; f->key; f++)
			if (f->required)
				jw_str(w, f->key);
		jw_end(w, ']');
	}
	jw_kraw(w, "additionalProperties", "false");
}

static void write_unit(struct jw *w, const char *name, const char *doc, const char *pattern)
{
	jw_key(w, name);
	jw_begin(w, '{');
	jw_kstr(w, "description", doc);
	jw_kstr(w, "type", "string");
	jw_kstr(w, "pattern", pattern);
	jw_end(w, '}');
}

int jsonschema_write(FILE *f)
{
	struct jw w = {.f = f};

	jw_begin(&w, '{');
	jw_kstr(&w, "$schema", "https://json-schema.org/draft/2020-12/schema");
	jw_kstr(&w, "$id", "urn:mriovsim:topology:1.1");
	jw_kstr(&w, "title", "mriovsim topology");
	jw_kstr(&w, "description", "A blade chassis of MR-IOV PCIe fabrics for mriovsim "
		"(interface contract 1.1, sections 1 and 8). Generated by `mriovsim schema` from "
		"the tables its loader reads.");
	jw_key(&w, "$defs");
	jw_begin(&w, '{');
	write_unit(&w, "time", "a time with its unit: ns, us, ms or s (a bare number is seconds)",
		   "^" NUM "(ns|us|ms|s)?$");
	write_unit(&w, "size", "a size with its unit: B, KiB, MiB, GiB (1024) or KB, MB, GB (1000); "
		   "a bare number is bytes", "^" NUM "(B|KiB|MiB|GiB|KB|MB|GB)?$");
	write_unit(&w, "rate", "a rate with its unit: bps, Kbps, Mbps, Gbps (bits) or Bps, KBps, "
		   "MBps, GBps (bytes), powers of 1000; a bare number is bit/s",
		   "^" NUM "(bps|Kbps|Mbps|Gbps|Bps|KBps|MBps|GBps)?$");
	jw_end(&w, '}');
	write_object(&w, schema_top_fields);
	jw_end(&w, '}');
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}
