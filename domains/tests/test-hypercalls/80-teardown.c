/* SPDX-License-Identifier: MIT */
/* Last: the peer is destroyed; what is left of it refuses everything. */
#include "hc.h"

TEST(domain_destroy, peer)
{
	uint64_t st = 0;

	ASSERT_OK(cloison_domain_destroy(fx_peer()));
	ASSERT_OK(cloison_domain_query(fx_peer(), &st, NULL, NULL));
	EXPECT_EQ(st, CLOISON_DOMAIN_DESTROYED);
	EXPECT_ERR(cloison_domain_destroy(fx_peer()), BAD_STATE);
	EXPECT_ERR(cloison_domain_start(fx_peer()), BAD_STATE);
	EXPECT_ERR(cloison_domain_stop(fx_peer()), BAD_STATE);
	EXPECT_ERR(cloison_domain_resume(fx_peer()), BAD_STATE);
}

/* Our end of the channel outlives the peer: signalling it is still fine
 * (nobody answers). */
TEST(channel_signal, peer_gone)
{
	uint64_t word = 1;

	EXPECT_OK(cloison_channel_signal(fx_chan()));
	fx_yield(5);
	ASSERT_OK(cloison_channel_poll(fx_chan(), &word));
	EXPECT_EQ(word, 0);
}
