/*
 * query.c -- `wvm query ADDR FUNCTION [JSON]`: the dry run of a call on
 * the last committed state; never commits (arguments as `wvm call`,
 * handled in call.c).
 */
#include "cli.h"

int cmd_query(int argc, char **argv) { return cli_call_main(argc, argv, true); }
