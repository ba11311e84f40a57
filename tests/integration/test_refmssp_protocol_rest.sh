#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_refmssp_protocol.sh's scenarios over the REST/JSON binding: the same script, with
# MSS_TEST_BINDING=rest, so refmssp-proto-lib.sh's post sends each request as JSON (made
# from the SOAP text by mss_rebind), checks the JSON answer against
# tests/schemas/mss-rest.schema.json and hands the checks the answer in SOAP again.
# Checks that only SOAP has (fi:PKCS1, malformed XML) say so and are left out here.
export MSS_TEST_BINDING=rest
exec "$(dirname "$0")/test_refmssp_protocol.sh" "$@"
