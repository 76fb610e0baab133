#ifndef FLEETVISOR_OUTPUT_H
#define FLEETVISOR_OUTPUT_H

#include <node_api.h>

/* Adds watchReadable, unwatch and readInto to the addon's exports. */
void output_init(napi_env env, napi_value exports);

#endif
