/* SPDX-License-Identifier: BSD-3-Clause */
/* The mock MSSP's responder for the contract table (mock_scenarios.c). */
#ifndef MSS_MOCK_SCENARIOS_H
#define MSS_MOCK_SCENARIOS_H

#include "../unit/mock_mssp.h"

void respond_scenarios(server *s, const mss_message *req, reply *out);

#endif
