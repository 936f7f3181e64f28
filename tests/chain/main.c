/*
 * main.c -- the runner of build/chain-tests: the unit tests' runner and
 * TEST/CHECK harness (tests/unit/test.h), compiled once more here so the
 * two suites share one harness and cannot drift.
 */
#include "../unit/main.c"
