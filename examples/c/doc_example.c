/*
 * The C example of docs/embedding.md, compiled as it stands on the page: run.sh extracts the
 * page's ```c block into doc_example_body.c, which this file includes with `source` and
 * `facts_json` read from the files named on the command line.
 *
 * Usage: doc_example STANDARD.std FACTS.json
 */
#include "duibiao.h"
#include "read_file.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    char *source = read_file(argv[1]);
    char *facts_json = read_file(argv[2]);
    if (!source || !facts_json) return 2;
#include "doc_example_body.c"
    free(source);
    free(facts_json);
    return 0;
}
