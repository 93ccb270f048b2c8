/* junitgen_main.c: placeholder until the generator's CLI lands. */
#include <stdio.h>

int main(void)
{
    fputs("junitgen: not implemented yet\n", stderr);
    return 2;
}
