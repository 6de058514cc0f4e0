/* Fuzz target: the lesson file parser. A teacher edits these files by hand,
 * so any bytes at all must give either a parsed file or a file:line
 * message, never a crash, an overrun or a hang. */
#include "../../src/core/lessons.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    lessons_check("fuzz.txt", (const char *)data, size, err, sizeof err);
    return 0;
}
