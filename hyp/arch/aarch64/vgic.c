/* SPDX-License-Identifier: MIT */
/*
 * GICv3 virtual CPU interface (GIC architecture spec IHI 0069, §11 and the
 * ICH_* register descriptions in §12.5). With HCR_EL2.IMO set a domain's
 * ICC_IAR1/EOIR1 accesses go to the virtual interface and are satisfied from
 * the list registers without trapping.
 *
 * ICH_LR<n>_EL2 (§12.5.10): [31:0] vINTID, [44:32] pINTID when HW = 1,
 * [55:48] priority, [60] group 1, [61] HW, [63:62] state (0 invalid,
 * 1 pending, 2 active, 3 pending and active). With HW = 1 the virtual
 * interrupt's deactivation (the domain's EOI, EOImode 0) deactivates the
 * physical interrupt pINTID too: an SPI handed to a domain stays active at
 * the distributor until its owner is done with it, and blocks no one else.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/vcpu.h>
#include <cloison/vgic.h>

#include "sysreg.h"

#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_UIE (1ull << 1) /* maintenance IRQ when <= 1 LR is valid */

#define LR_STATE_SHIFT 62
#define LR_PENDING (1ull << 62)
#define LR_GROUP1 (1ull << 60)
#define LR_HW (1ull << 61)
#define LR_PINTID_SHIFT 32
#define LR_PRIO_SHIFT 48
#define LR_VINTID_MASK 0xffffffffull

#define MAINTENANCE_INTID 25u /* PPI 9 */
#define CNTV_CTL_IMASK (1ull << 1)
#define CNTV_CTL_ENABLE (1ull << 0)

static unsigned nr_lrs;
static bool uie_on; /* ICH_HCR_EL2.UIE as last written (per CPU) */

/* Write ICH_HCR_EL2 only when UIE changes: a system-register write per exit
 * is not free. */
static void set_uie(bool on)
{
	if (on == uie_on)
		return;
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (on ? ICH_HCR_UIE : 0));
	uie_on = on;
}

/* System registers cannot be indexed at run time: one accessor per LR. */
#define LR_CASE(n)                                        \
	case n:                                           \
		return read_sysreg(S3_4_C12_C12_##n);
#define LR_CASE_HI(n, m)                                  \
	case n:                                           \
		return read_sysreg(S3_4_C12_C13_##m);

static uint64_t lr_read(unsigned n)
{
	switch (n) {
		LR_CASE(0) LR_CASE(1) LR_CASE(2) LR_CASE(3)
		LR_CASE(4) LR_CASE(5) LR_CASE(6) LR_CASE(7)
		LR_CASE_HI(8, 0) LR_CASE_HI(9, 1) LR_CASE_HI(10, 2) LR_CASE_HI(11, 3)
		LR_CASE_HI(12, 4) LR_CASE_HI(13, 5) LR_CASE_HI(14, 6) LR_CASE_HI(15, 7)
	}
	return 0;
}

#define LW_CASE(n)                                        \
	case n:                                           \
		write_sysreg(S3_4_C12_C12_##n, v);        \
		break;
#define LW_CASE_HI(n, m)                                  \
	case n:                                           \
		write_sysreg(S3_4_C12_C13_##m, v);        \
		break;

static void lr_write(unsigned n, uint64_t v)
{
	switch (n) {
		LW_CASE(0) LW_CASE(1) LW_CASE(2) LW_CASE(3)
		LW_CASE(4) LW_CASE(5) LW_CASE(6) LW_CASE(7)
		LW_CASE_HI(8, 0) LW_CASE_HI(9, 1) LW_CASE_HI(10, 2) LW_CASE_HI(11, 3)
		LW_CASE_HI(12, 4) LW_CASE_HI(13, 5) LW_CASE_HI(14, 6) LW_CASE_HI(15, 7)
	}
}

void arch_vgic_cpu_init(void)
{
	nr_lrs = (unsigned)(read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
	if (nr_lrs > ARCH_MAX_LRS)
		nr_lrs = ARCH_MAX_LRS;
	for (unsigned n = 0; n < nr_lrs; n++)
		lr_write(n, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	uie_on = false;
	isb();
	arch_irq_enable(MAINTENANCE_INTID);
}

uint32_t arch_vgic_maintenance_intid(void)
{
	return MAINTENANCE_INTID;
}

void arch_vgic_sync(struct arch_vcpu *v, struct vgic *g)
{
	/* Only the LRs this vCPU was given can hold anything: most exits
	 * touch none. */
	for (unsigned n = 0; v->vgic.lr_used >> n; n++) {
		uint64_t lr, state;
		uint32_t id;

		if (!(v->vgic.lr_used & (1u << n)))
			continue;
		lr = lr_read(n);
		id = (uint32_t)(lr & LR_VINTID_MASK);
		state = lr >> LR_STATE_SHIFT;
		if (!lr || id >= VGIC_NR_IRQS) {
			v->vgic.lr_used &= ~(1u << n);
			continue;
		}
		if (state == 0) {
			/* Acknowledged and EOIed: done. The virtual timer's
			 * PPI, handed over with the HW bit, was deactivated
			 * with it (sched_vtimer_irq). */
			if (id == VGIC_VTIMER && (lr & LR_HW))
				g->hw_pintid[id] = 0;
			g->in_lr &= ~(1ull << id);
			lr_write(n, 0);
			v->vgic.lr_used &= ~(1u << n);
		} else if (state == 1) {
			/* Not acknowledged yet: back to software, so a higher
			 * priority one can take its place next entry. */
			g->in_lr &= ~(1ull << id);
			g->pending |= 1ull << id;
			lr_write(n, 0);
			v->vgic.lr_used &= ~(1u << n);
		}
		/* Active (2, 3): it stays in its LR until the domain EOIs it. */
	}
	set_uie(false);
}

void arch_vgic_flush(struct arch_vcpu *v, struct vgic *g)
{
	if (vgic_next(g) < 0) {
		set_uie(false);
		return; /* nothing to inject */
	}
	for (unsigned n = 0; n < nr_lrs; n++) {
		int next;
		uint32_t id;

		if (v->vgic.lr_used & (1u << n))
			continue;
		next = vgic_next(g);
		if (next < 0)
			break;
		id = (uint32_t)next;
		lr_write(n, LR_PENDING | LR_GROUP1 |
				    (uint64_t)g->priority[id] << LR_PRIO_SHIFT | id |
				    (g->hw_pintid[id] ? LR_HW | (uint64_t)g->hw_pintid[id]
								   << LR_PINTID_SHIFT
						      : 0));
		g->in_lr |= 1ull << id;
		g->pending &= ~(1ull << id);
		g->injected++;
		v->vgic.lr_used |= 1u << n;
	}
	/* More waiting than LRs: ask for a maintenance interrupt once the
	 * domain has drained them, so none is lost. */
	set_uie(vgic_next(g) >= 0);
	isb();
}

void arch_vgic_save(struct arch_vcpu *v);
void arch_vgic_save(struct arch_vcpu *v)
{
	for (unsigned n = 0; v->vgic.lr_used >> n; n++) {
		if (v->vgic.lr_used & (1u << n)) {
			v->vgic.lr[n] = lr_read(n);
			lr_write(n, 0);
		}
	}
	v->vgic.vmcr = read_sysreg(ICH_VMCR_EL2);
	v->vgic.ap1r0 = read_sysreg(ICH_AP1R0_EL2);
}

/* Every list register, not only the ones lr_used names: nothing of a domain
 * that is gone may stay live (an acknowledged, not yet EOIed interrupt
 * would sit in an active LR under the next domain, and the same vINTID in
 * two LRs is UNPREDICTABLE: GIC v3 spec §12.5, ICH_LR<n>_EL2). */
void arch_vgic_discard(struct arch_vcpu *v);
void arch_vgic_discard(struct arch_vcpu *v)
{
	for (unsigned n = 0; n < nr_lrs; n++)
		lr_write(n, 0);
	v->vgic.lr_used = 0;
	write_sysreg(ICH_AP1R0_EL2, 0);
	set_uie(false);
}

void arch_vgic_restore(const struct arch_vcpu *v);
void arch_vgic_restore(const struct arch_vcpu *v)
{
	/* The previous vCPU's LRs were cleared by its save. */
	for (unsigned n = 0; v->vgic.lr_used >> n; n++)
		if (v->vgic.lr_used & (1u << n))
			lr_write(n, v->vgic.lr[n]);
	write_sysreg(ICH_VMCR_EL2, v->vgic.vmcr);
	write_sysreg(ICH_AP1R0_EL2, v->vgic.ap1r0);
}

void arch_vtimer_mask_live(void)
{
	write_sysreg(cntv_ctl_el0, read_sysreg(cntv_ctl_el0) | CNTV_CTL_IMASK);
	isb();
}

uint64_t arch_vtimer_saved_deadline(const struct arch_vcpu *v)
{
	uint64_t ctl = v->sys.cntv_ctl_el0;

	/* In physical counter time: the compare value plus its offset. */
	if ((ctl & CNTV_CTL_ENABLE) && !(ctl & CNTV_CTL_IMASK))
		return v->sys.cntv_cval_el0 > UINT64_MAX - v->sys.cntvoff_el2
			       ? UINT64_MAX
			       : v->sys.cntv_cval_el0 + v->sys.cntvoff_el2;
	return UINT64_MAX;
}

void arch_vtimer_mask_saved(struct arch_vcpu *v)
{
	v->sys.cntv_ctl_el0 |= CNTV_CTL_IMASK;
}
