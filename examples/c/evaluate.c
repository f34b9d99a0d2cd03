/*
 * duibiao from C: compile a standard once, evaluate facts from 16 threads at once, print the
 * outcome, and show that misuse (a stale handle, a double free, bad input) gives error values
 * rather than crashes.
 *
 *   examples/c/run.sh          builds this file against the static library and runs it
 *
 * Usage: evaluate STANDARD.std FACTS.json
 */
#include "duibiao.h"
#include "read_file.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 16

struct job {
    uint64_t standard;
    const char *facts;
    char *response;
};

static void *evaluate(void *arg) {
    struct job *job = arg;
    job->response = duibiao_evaluate(job->standard, job->facts, "{\"detail\": \"summary\"}");
    return NULL;
}

static int failures = 0, passes = 0;

static void expect(int ok, const char *what) {
    if (ok) {
        passes++;
    } else {
        fprintf(stderr, "FAILED: %s\n", what);
        failures++;
    }
}

/* Whether a response holds `needle`; frees the response. */
static int says(char *response, const char *needle) {
    int found = response && strstr(response, needle) != NULL;
    if (!found) fprintf(stderr, "response without %s: %s\n", needle, response ? response : "(null)");
    duibiao_free(response);
    return found;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s STANDARD.std FACTS.json\n", argv[0]);
        return 2;
    }
    char *source = read_file(argv[1]);
    char *facts = read_file(argv[2]);
    if (!source || !facts) return 2;
    printf("%s\n", duibiao_version());

    /* Compile once. */
    uint64_t standard = 0;
    char *compiled = duibiao_compile(argv[1], source, &standard);
    expect(standard != 0, "compile gives a handle");
    expect(says(compiled, "\"ok\":true"), "compile is ok");

    /* Evaluate from 16 threads at once: every response is the same. */
    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct job){standard, facts, NULL};
        pthread_create(&threads[i], NULL, evaluate, &jobs[i]);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    for (int i = 1; i < THREADS; i++) {
        expect(jobs[i].response && strcmp(jobs[i].response, jobs[0].response) == 0,
               "every thread gets the same outcome");
    }
    expect(strstr(jobs[0].response, "\"ok\":true") != NULL, "evaluate is ok");
    /* The outcome, one unit a line. */
    printf("%s\n", jobs[0].response);
    for (int i = 0; i < THREADS; i++) expect(duibiao_free(jobs[i].response) == 0, "free");

    /* A live session: one change, evaluated again incrementally. */
    uint64_t live = 0;
    char *opened = duibiao_live_open(standard, facts, NULL, &live);
    expect(live != 0, "live_open gives a handle");
    duibiao_free(opened);
    char request[256];
    snprintf(request, sizeof request,
             "{\"call\":\"live_assign\",\"live\":%llu,\"set\":[\"XQ33.一票否决=true\"]}",
             (unsigned long long)live);
    expect(says(duibiao_call(request), "\"assigned\":[{"), "live_assign");
    expect(duibiao_live_close(live) == 0, "live_close");
    expect(duibiao_live_close(live) == -1, "closing twice is an error value");

    /* Misuse gives error values, never a crash. */
    char *twice = duibiao_evaluate(standard, "{\"units\": [", NULL);
    expect(says(twice, "F0001"), "facts that are not JSON: F0001");
    expect(says(duibiao_evaluate(standard, NULL, NULL), "A0009"), "null facts: A0009");
    expect(says(duibiao_call("{\"call\": \"fly\"}"), "A0002"), "unknown call: A0002");
    expect(says(duibiao_call("\xff\xfe"), "A0009"), "text that is not UTF-8: A0009");
    char *freed = duibiao_call("{\"call\":\"version\"}");
    expect(duibiao_free(freed) == 0, "free once");
    expect(duibiao_free(freed) == -2, "a double free is an error value");
    char local[] = "not from duibiao";
    expect(duibiao_free(local) == -2, "freeing a foreign pointer is an error value");
    expect(duibiao_free(NULL) == -1, "freeing null is an error value");
    expect(duibiao_release(standard) == 0, "release");
    expect(duibiao_release(standard) == -1, "releasing twice is an error value");
    expect(says(duibiao_evaluate(standard, facts, NULL), "A0004"), "a stale handle: A0004");

    free(source);
    free(facts);
    fprintf(stderr, "%d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
