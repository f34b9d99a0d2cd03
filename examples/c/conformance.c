/*
 * Runs one conformance file (conformance/NAME.json) through the C ABI: every step's request is
 * sent with duibiao_call and its response printed, one a line, for conformance/check.py to
 * compare with the step's expected response. "$standard" and "$live" in a request stand for
 * the handle the last compile or live_open returned.
 *
 * Usage: conformance FILE.json > FILE.responses
 */
#include "duibiao.h"
#include "read_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The end of the JSON value starting at `p` (an object or array), or NULL. */
static const char *value_end(const char *p) {
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
            if (!*p) return NULL;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (--depth == 0) return p + 1;
        }
    }
    return NULL;
}

/* `text` with every `"$name"` replaced by `value`; the caller frees it. */
static char *bind(const char *text, const char *name, unsigned long long value) {
    char number[32];
    snprintf(number, sizeof number, "%llu", value);
    size_t n = strlen(text), k = strlen(name);
    char *out = malloc(n + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (strncmp(text + i, name, k) == 0) {
            size_t w = strlen(number);
            if (w > k) break; /* a handle never has more digits than the placeholder has chars */
            memcpy(out + o, number, w);
            o += w;
            i += k;
        } else {
            out[o++] = text[i++];
        }
    }
    out[o] = '\0';
    return out;
}

/* The number after `"field":` in `response`, or `fallback`. */
static unsigned long long number_after(const char *response, const char *field,
                                       unsigned long long fallback) {
    const char *at = strstr(response, field);
    return at ? strtoull(at + strlen(field), NULL, 10) : fallback;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.json\n", argv[0]);
        return 2;
    }
    char *text = read_file(argv[1]);
    if (!text) return 2;

    unsigned long long standard = 0, live = 0;
    int steps = 0;
    const char *key = "{\"request\":";
    for (const char *p = strstr(text, key); p; p = strstr(p, key)) {
        const char *start = p + strlen(key);
        const char *end = value_end(start);
        if (!end) {
            fprintf(stderr, "%s: step %d is not JSON\n", argv[1], steps);
            return 2;
        }
        size_t len = (size_t)(end - start);
        char *request = malloc(len + 1);
        if (!request) return 2;
        memcpy(request, start, len);
        request[len] = '\0';
        char *a = bind(request, "\"$standard\"", standard);
        char *b = a ? bind(a, "\"$live\"", live) : NULL;
        char *response = b ? duibiao_call(b) : NULL;
        if (!response) return 2;
        puts(response);
        standard = number_after(response, "\"handle\":", standard);
        if (strstr(response, "\"call\":\"live_open\"")) live = number_after(response, "\"live\":", live);
        duibiao_free(response);
        free(request);
        free(a);
        free(b);
        steps++;
        p = end;
    }
    free(text);
    fprintf(stderr, "%s: %d steps\n", argv[1], steps);
    return 0;
}
