/* SPDX-License-Identifier: MIT */
/*
 * The picolibc layer's EL1 vectors: the core's (core/vectors.S) with the
 * FP/SIMD state saved across an IRQ (fpsimd.h). The layer builds on the
 * core, never the other way round.
 */
#define RUNTIME_FPSIMD 1
#include "fpsimd.h"
#include "../core/vectors.S"
