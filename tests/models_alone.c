/* models_alone.c - models/ builds and links without fabric/: this program links the models
 * library alone (the run assembly in fabric/ hands the engine its topology and node tables).
 * Taking eng_build's address pulls in the whole engine and every model it builds. */
#include <stdio.h>

#include "engine.h"

int main(void)
{
	int (*build)(struct eng *, const struct topo *, const struct eng_nodes *,
		     const struct eng_sink *) = eng_build;
	struct eng e = {0};

	eng_destroy(&e); /* a never-built engine: a no-op */
	eng_start(&e);   /* no ports: no actor */
	printf("models link alone: eng_build at %p\n", (void *)(size_t)build);
	return 0;
}
