/* SPDX-License-Identifier: MIT */
/*
 * The structured test-result lines the system-test runner reads from the
 * console (tests/system/runner.py). One line each:
 *   TEST-BEGIN <suite>
 *   TEST <name> PASS
 *   TEST <name> FAIL <message>
 *   TEST-END <suite> passed=<n> failed=<m>
 * A run counts only if TEST-END arrives and its counts match the lines seen.
 */
#ifndef CLOISON_STD_TESTOUT_H
#define CLOISON_STD_TESTOUT_H

#define TESTOUT_BEGIN "TEST-BEGIN"
#define TESTOUT_RESULT "TEST"
#define TESTOUT_END "TEST-END"

#endif
