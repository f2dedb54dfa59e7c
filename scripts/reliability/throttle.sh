#!/usr/bin/env bash
# Throttle races: the cargo tests that prove the sign-in and receipt throttle
# promises, run by name (each must run and pass):
#  - a reservation per attempt, so a hundred parallel wrong sign-ins evaluate
#    at most the allowed guesses; a device that signed in before gets in at
#    once after an attack from many addresses; a device cookie counts only for
#    its account and only unforged; a device that guesses wrong is slowed;
#  - receipts: failures throttle one client, never its neighbours, never a
#    fresh reporter, never another receipt prefix;
#  - over HTTP: failed guesses are throttled and no address or agent is kept.
# Built with the release profile, so the suite's release build is reused.
#   scripts/reliability/throttle.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO"
status=0
ran=0
# run_named CRATE TARGET-ARGS -- NAMES…
run_named() {
    local crate="$1"; shift
    local target=()
    while [ "$1" != "--" ]; do target+=("$1"); shift; done
    shift
    local want=$#
    local out
    out=$(cargo test --release -p "$crate" --locked "${target[@]}" -- --exact "$@" 2>&1) || { echo "$out" | tail -n 30 >&2; status=1; }
    local passed
    passed=$(echo "$out" | sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' | awk '{s+=$1} END {print s+0}')
    log "$crate ${target[*]}: $passed of $want passed"
    [ "$passed" = "$want" ] || status=1
    ran=$((ran + passed))
}
run_named vigil-core --test sign_in_throttle -- \
    a_hundred_parallel_wrong_sign_ins_evaluate_at_most_the_allowed_guesses \
    after_an_attack_from_many_addresses_a_device_that_signed_in_before_gets_in_at_once \
    a_device_cookie_counts_only_for_its_account_and_only_if_unforged \
    a_device_that_guesses_wrong_is_slowed_itself
run_named vigil-core --test intake -- \
    failed_attempts_are_throttled_per_client_only \
    a_flood_of_wrong_receipts_from_many_addresses_never_refuses_a_fresh_reporter \
    failures_on_one_receipt_prefix_do_not_touch_other_prefixes
run_named vigil-core --test staff -- failed_sign_ins_slow_down_but_the_user_gets_back_in
run_named vigil-core --lib -- \
    login_throttle::tests::waits_grow_are_capped_and_clear \
    login_throttle::tests::attempts_in_flight_count \
    login_throttle::tests::a_known_device_ignores_the_account_wide_count \
    throttle::tests::failures_throttle_one_client_not_its_neighbours \
    throttle::tests::a_window_ends
run_named vigil-web --test http -- no_address_or_agent_is_kept_and_failed_guesses_are_throttled
if [ "$status" = 0 ]; then result throttle PASS "tests=$ran (all named tests ran and passed)"
else result throttle FAIL "tests passed=$ran"; exit 1; fi
