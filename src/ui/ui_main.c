/* ui_main: the lab screen's entry (built out in the lab issue). */
#include "../core/options.h"

#include <stdio.h>

int ui_main(const struct options *o);

int ui_main(const struct options *o)
{
    (void)o;
    fprintf(stderr, "sockscope: the lab screen is not built yet; use 'sockscope run'\n");
    return 2;
}
