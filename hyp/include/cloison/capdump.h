/* SPDX-License-Identifier: MIT */
/*
 * The live capability state, printed on the console in the format the
 * auditor reads (`cloison audit DESC --live LOG`, docs/auditing.md):
 *   CLOISON-CAPDUMP BEGIN policy=<sha256> domains=<n>
 *   CLOISON-CAPDUMP DOMAIN name=<d> state=<state> slots=<n>
 *   CLOISON-CAPDUMP CAP domain=<d> slot=<n> type=<t> object=<name> rights=0x<r> badge=0x<b>
 *   CLOISON-CAPDUMP END caps=<n>
 * Objects the boot policy made are named as in the policy; objects made at
 * run time (retype) appear as #<id>.
 */
#ifndef CLOISON_CAPDUMP_H
#define CLOISON_CAPDUMP_H

void capdump_print(void);

#endif
