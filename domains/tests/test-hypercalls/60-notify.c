/* SPDX-License-Identifier: MIT */
/*
 * Notifications (signal, poll, wait, bind), vgic_configure, and the
 * channel calls against the peer, which echoes on the channel (its end
 * 1; ours is end 0).
 */
#include "hc.h"

#define VINTID_NOTE 40u
#define VINTID_CHAN 42u

/* Let a virtual interrupt arrive: open the IRQ mask for a moment, a few
 * times, yielding in between (the signal may come from the peer). */
static bool irq_arrives(uint32_t intid, unsigned tries)
{
	for (unsigned i = 0; i < tries && fx_last_irq != intid; i++) {
		int was = irq_unmask();

		__asm__ volatile("isb");
		irq_restore(was);
		cloison_yield();
	}
	return fx_last_irq == intid;
}

static uint64_t badged(uint64_t badge)
{
	return fx_mint(fx_note(), CLOISON_RIGHT_NOTIFICATION_SIGNAL, badge);
}

TEST(notification_signal, unbadged)
{
	EXPECT_ERR(cloison_notification_signal(fx_note()), INVALID_ARGUMENT);
}

TEST(notification_poll, word)
{
	uint64_t a = badged(0x40), b = badged(0x2), word = 1;

	ASSERT(a != NONE && b != NONE);
	ASSERT_OK(cloison_notification_poll(fx_note(), &word));
	EXPECT_EQ(word, 0); /* nothing pending */
	ASSERT_OK(cloison_notification_signal(a));
	ASSERT_OK(cloison_notification_signal(a));
	ASSERT_OK(cloison_notification_signal(b));
	ASSERT_OK(cloison_notification_poll(fx_note(), &word));
	EXPECT_EQ(word, 0x42); /* badges OR together */
	ASSERT_OK(cloison_notification_poll(fx_note(), &word));
	EXPECT_EQ(word, 0); /* and poll cleared them */
}

TEST(notification_wait, word_ready)
{
	uint64_t a = badged(0x10), word = 0;

	ASSERT(a != NONE);
	ASSERT_OK(cloison_notification_signal(a));
	ASSERT_OK(cloison_notification_wait(fx_note(), &word)); /* does not block */
	EXPECT_EQ(word, 0x10);
}

/* A notification made from the pool: another object, another word. */
TEST(notification_signal, separate_objects)
{
	uint64_t mine = fx_mint(fx_notification(), CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x4);
	uint64_t word = 1;

	ASSERT(mine != NONE);
	ASSERT_OK(cloison_notification_signal(mine));
	ASSERT_OK(cloison_notification_poll(fx_note(), &word));
	EXPECT_EQ(word, 0);
	ASSERT_OK(cloison_notification_poll(fx_notification(), &word));
	EXPECT_EQ(word, 0x4);
}

TEST(vgic_configure, bad_arguments)
{
	EXPECT_ERR(cloison_vgic_configure(64, 1, 0x80), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_vgic_configure(~0ull, 1, 0x80), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_vgic_configure(VINTID_NOTE, 2, 0x80), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_vgic_configure(VINTID_NOTE, 1, 256), INVALID_ARGUMENT);
}

TEST(notification_bind, bad_vintid)
{
	EXPECT_ERR(cloison_notification_bind(fx_note(), CLOISON_VIRQ_CONSOLE_INPUT),
		   INVALID_ARGUMENT);
	EXPECT_ERR(cloison_notification_bind(fx_note(), CLOISON_VIRQ_VTIMER), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_notification_bind(fx_note(), CLOISON_VIRQ_LAST + 1), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_notification_bind(fx_note(), ~0ull), INVALID_ARGUMENT);
}

/* Exactly the range the ABI states (33..63, CLOISON_VIRQ_FIRST_NOTIFICATION
 * ..CLOISON_VIRQ_LAST): first and last accepted, one below and one above
 * refused. The next test binds again (rebinding replaces). */
TEST(notification_bind, range_edges)
{
	EXPECT_ERR(cloison_notification_bind(fx_note(), CLOISON_VIRQ_FIRST_NOTIFICATION - 1),
		   INVALID_ARGUMENT);
	EXPECT_OK(cloison_notification_bind(fx_note(), CLOISON_VIRQ_FIRST_NOTIFICATION));
	EXPECT_OK(cloison_notification_bind(fx_note(), CLOISON_VIRQ_LAST));
	EXPECT_ERR(cloison_notification_bind(fx_note(), CLOISON_VIRQ_LAST + 1), INVALID_ARGUMENT);
}

/* Bound, a signal raises the virtual interrupt; the word still collects
 * the badge for poll. */
TEST(notification_bind, interrupt)
{
	uint64_t a = badged(0x20), word = 0;

	ASSERT(a != NONE);
	ASSERT_OK(irq_enable(VINTID_NOTE, 0x80));
	ASSERT_OK(cloison_notification_bind(fx_note(), VINTID_NOTE));
	fx_last_irq = 0;
	ASSERT_OK(cloison_notification_signal(a));
	EXPECT(irq_arrives(VINTID_NOTE, 10));
	ASSERT_OK(cloison_notification_poll(fx_note(), &word));
	EXPECT_EQ(word, 0x20);
}

/* A disabled vINTID is held back; enabling it lets it in. */
TEST(vgic_configure, disable_enable)
{
	uint64_t a = badged(0x20);

	ASSERT(a != NONE);
	ASSERT_OK(cloison_vgic_configure(VINTID_NOTE, 0, 0x80));
	fx_last_irq = 0;
	ASSERT_OK(cloison_notification_signal(a));
	EXPECT(!irq_arrives(VINTID_NOTE, 5));
	ASSERT_OK(cloison_vgic_configure(VINTID_NOTE, 1, 0x40));
	EXPECT(irq_arrives(VINTID_NOTE, 10));
	cloison_notification_poll(fx_note(), NULL);
}

/* Rebinding replaces the binding. */
TEST(notification_bind, rebind)
{
	uint64_t a = badged(0x20);

	ASSERT(a != NONE);
	ASSERT_OK(irq_enable(VINTID_NOTE + 1, 0x80));
	ASSERT_OK(cloison_notification_bind(fx_note(), VINTID_NOTE + 1));
	fx_last_irq = 0;
	ASSERT_OK(cloison_notification_signal(a));
	EXPECT(irq_arrives(VINTID_NOTE + 1, 10));
	EXPECT_EQ(fx_last_irq, VINTID_NOTE + 1);
	cloison_notification_poll(fx_note(), NULL);
}

static volatile uint64_t *shared(void)
{
	return (volatile uint64_t *)(uintptr_t)si_find("chan")->ipa;
}

/* One round trip with the peer: signal its end, wait on ours. */
static uint64_t echo(uint64_t value, uint64_t *word)
{
	uint64_t err;

	shared()[0] = value;
	shared()[1] = 0;
	err = cloison_channel_signal(fx_chan());
	if (err)
		return err;
	return cloison_channel_wait(fx_chan(), word);
}

TEST(channel_poll, nothing)
{
	uint64_t word = 1;

	ASSERT_OK(cloison_channel_poll(fx_chan(), &word));
	EXPECT_EQ(word, 0);
}

/* Through the shared page and both notifications of the channel. */
TEST(channel_wait, echo)
{
	uint64_t word = 0;

	for (uint64_t v = 1000; v < 1005; v++) {
		ASSERT_OK(echo(v, &word));
		EXPECT_EQ(word, 1); /* bit 0: the other end signalled */
		EXPECT_EQ(shared()[1], v + 1);
	}
}

TEST(channel_bind, bad_vintid)
{
	EXPECT_ERR(cloison_channel_bind(fx_chan(), CLOISON_VIRQ_CONSOLE_INPUT), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_channel_bind(fx_chan(), CLOISON_VIRQ_LAST + 1), INVALID_ARGUMENT);
}

/* The same range as notification_bind, at both edges. */
TEST(channel_bind, range_edges)
{
	EXPECT_ERR(cloison_channel_bind(fx_chan(), CLOISON_VIRQ_FIRST_NOTIFICATION - 1),
		   INVALID_ARGUMENT);
	EXPECT_OK(cloison_channel_bind(fx_chan(), CLOISON_VIRQ_FIRST_NOTIFICATION));
	EXPECT_OK(cloison_channel_bind(fx_chan(), CLOISON_VIRQ_LAST));
	EXPECT_ERR(cloison_channel_bind(fx_chan(), CLOISON_VIRQ_LAST + 1), INVALID_ARGUMENT);
}

TEST(channel_bind, interrupt)
{
	uint64_t word = 0;

	ASSERT_OK(irq_enable(VINTID_CHAN, 0x80));
	ASSERT_OK(cloison_channel_bind(fx_chan(), VINTID_CHAN));
	fx_last_irq = 0;
	shared()[0] = 7;
	ASSERT_OK(cloison_channel_signal(fx_chan()));
	EXPECT(irq_arrives(VINTID_CHAN, 50));
	ASSERT_OK(cloison_channel_poll(fx_chan(), &word));
	EXPECT_EQ(word, 1);
	EXPECT_EQ(shared()[1], 8);
}

/* channel_signal_wait: one call for the round trip, the same answer as
 * channel_signal then channel_wait (echo above). */
TEST(channel_signal_wait, echo)
{
	uint64_t word = 0;

	for (uint64_t v = 2000; v < 2005; v++) {
		shared()[0] = v;
		shared()[1] = 0;
		ASSERT_OK(cloison_channel_signal_wait(fx_chan(), fx_chan(), &word));
		EXPECT_EQ(word, 1);
		EXPECT_EQ(shared()[1], v + 1);
	}
}

/* With slot_none the wait is a WFI: the peer's answer arrives as the
 * channel's bound interrupt (the IRQ mask closed across the call, as a
 * driver sleeps: WFI wakes on a pending interrupt all the same). */
TEST(channel_signal_wait, wfi)
{
	uint64_t word = 0;
	int was;

	ASSERT_OK(irq_enable(VINTID_CHAN, 0x80));
	ASSERT_OK(cloison_channel_bind(fx_chan(), VINTID_CHAN));
	/* The echoes above raised it too: take those first, or the WFI
	 * would return at once for them. */
	fx_last_irq = 0;
	irq_arrives(VINTID_CHAN, 1);
	cloison_channel_poll(fx_chan(), NULL);
	fx_last_irq = 0;
	shared()[0] = 30;
	shared()[1] = 0;
	was = irq_mask();
	ASSERT_OK(cloison_channel_signal_wait(fx_chan(), NONE, &word));
	EXPECT_EQ(word, 0);
	EXPECT_EQ(shared()[1], 31); /* we slept until the answer came */
	irq_restore(was);
	EXPECT(irq_arrives(VINTID_CHAN, 10));
	ASSERT_OK(cloison_channel_poll(fx_chan(), &word));
	EXPECT_EQ(word, 1);
}

/* Every refusal comes before the signal: the peer is never woken (it
 * would answer into shared[1] and signal back). */
TEST(channel_signal_wait, refused_signals_nothing)
{
	uint64_t ro = fx_mint(fx_chan(), CLOISON_RIGHT_CHANNEL_READ, 0);
	uint64_t wo = fx_mint(fx_chan(), CLOISON_RIGHT_CHANNEL_WRITE, 0);
	uint64_t empty = fx_slot(), word = 7;
	static const uint64_t far[] = { 1ull << 20, 1ull << 40, NONE - 1 };

	ASSERT(ro != NONE && wo != NONE);
	shared()[0] = 40;
	shared()[1] = 0;
	EXPECT_ERR(cloison_channel_signal_wait(ro, fx_chan(), &word), NO_RIGHTS);
	EXPECT_ERR(cloison_channel_signal_wait(fx_chan(), wo, &word), NO_RIGHTS);
	EXPECT_ERR(cloison_channel_signal_wait(fx_chan(), fx_console(), &word), WRONG_TYPE);
	EXPECT_ERR(cloison_channel_signal_wait(fx_chan(), empty, &word), EMPTY_SLOT);
	for (unsigned i = 0; i < sizeof(far) / sizeof(far[0]); i++)
		EXPECT_ERR(cloison_channel_signal_wait(fx_chan(), far[i], &word), INVALID_SLOT);
	EXPECT_EQ(word, 0); /* no result after an error */
	EXPECT_ERR(hvc_call(fx_chan(), CLOISON_HC_CHANNEL_SIGNAL_WAIT, fx_chan(), 1, 0, 0, 0, 0),
		   INVALID_ARGUMENT); /* a register it does not use */
	fx_yield(5);
	EXPECT_EQ(shared()[1], 0);
	ASSERT_OK(cloison_channel_poll(fx_chan(), &word));
	EXPECT_EQ(word, 0);
}

/* A channel made from the pool: we hold end 0, nobody holds end 1. */
TEST(channel_signal, made_from_pool)
{
	uint64_t ch = fx_slot(), word = 1, badge = 1;

	ASSERT_OK(cloison_untyped_retype(fx_pool(), CLOISON_TYPE_CHANNEL, RUNTIME_PAGE, NONE, ch));
	ASSERT_OK(cloison_cap_identify(ch, NULL, NULL, &badge));
	EXPECT_EQ(badge, 0); /* the end */
	EXPECT_OK(cloison_channel_signal(ch));
	ASSERT_OK(cloison_channel_poll(ch, &word));
	EXPECT_EQ(word, 0); /* it went to the other end */
}
