/*
 * Addresses as fail2ban reads a ban's row (ip_row_covers: IPAddr's
 * brackets, prefixes, netmasks, IPv4-mapped IPv6) and as sshguard's
 * subnets cover them (addr_in_net), on a table of named cases.
 */
#include "fixture.h"
#include "util.h"

struct acase {
	const char	*name;
	const char	*row;
	const char	*addr;
	int		 want;
};

static const struct acase cases[] = {
	{ "the same address", "203.0.113.50", "203.0.113.50", 1 },
	{ "another address", "203.0.113.51", "203.0.113.50", 0 },
	{ "a /24 holding it", "203.0.113.0/24", "203.0.113.50", 1 },
	{ "a /24 not holding it", "203.0.114.0/24", "203.0.113.50", 0 },
	{ "a /0: everything", "0.0.0.0/0", "198.51.100.1", 1 },
	{ "a /32 of itself", "203.0.113.50/32", "203.0.113.50", 1 },
	{ "a prefix past 32: the whole address", "203.0.113.50/40",
	    "203.0.113.50", 1 },
	{ "a netmask", "203.0.113.0/255.255.255.0", "203.0.113.50", 1 },
	{ "a netmask of /25 not holding it", "203.0.113.0/255.255.255.128",
	    "203.0.113.200", 0 },
	{ "a mask that is no prefix", "203.0.113.0/255.0.255.0",
	    "203.0.113.50", -1 },
	{ "two slashes", "203.0.113.0/24/8", "203.0.113.50", -1 },
	{ "a signed prefix", "203.0.113.0/+24", "203.0.113.50", -1 },
	{ "a prefix past 128", "203.0.113.0/129", "203.0.113.50", -1 },
	{ "brackets", "[203.0.113.50]", "203.0.113.50", 1 },
	{ "brackets around IPv6", "[2001:db8::5]", "2001:db8::5", 1 },
	{ "IPv4-mapped IPv6 is IPv4", "::ffff:203.0.113.50", "203.0.113.50",
	    1 },
	{ "IPv4-mapped with a prefix stays IPv6", "::ffff:203.0.113.50/128",
	    "203.0.113.50", 0 },
	{ "upper-case IPv6", "2001:DB8::5", "2001:db8::5", 1 },
	{ "IPv6 written long", "2001:db8:0:0:0:0:0:5", "2001:db8::5", 1 },
	{ "an IPv6 /64", "2001:db8::/64", "2001:db8::5", 1 },
	{ "an IPv6 mask", "2001:db8::/ffff:ffff:ffff:ffff::", "2001:db8::5",
	    1 },
	{ "another family", "203.0.113.50", "2001:db8::5", 0 },
	{ "a raw id (a user name)", "alice", "203.0.113.50", 0 },
	{ "empty", "", "203.0.113.50", 0 },
	{ "a lone bracket pair", "[]", "203.0.113.50", 0 },
};

static void
test_row_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = ip_row_covers(cases[i].row, cases[i].addr);

		if (got != cases[i].want)
			fail_msg("%s: ip_row_covers(\"%s\", \"%s\") = %d, "
			    "want %d", cases[i].name, cases[i].row,
			    cases[i].addr, got, cases[i].want);
	}
}

static void
test_row_too_long(void **state)
{
	char row[300];

	(void)state;
	memset(row, '1', sizeof(row) - 1);
	row[sizeof(row) - 1] = '\0';
	assert_int_equal(ip_row_covers(row, "203.0.113.50"), -1);
}

static void
test_in_net(void **state)
{
	(void)state;
	assert_true(addr_in_net("198.51.100.99", "198.51.100.7", 24));
	assert_false(addr_in_net("198.51.101.99", "198.51.100.7", 24));
	assert_true(addr_in_net("198.51.100.7", "198.51.100.7", 99));
	assert_false(addr_in_net("198.51.100.8", "198.51.100.7", -1));
	assert_true(addr_in_net("2001:db8:5::9", "2001:db8:5::5", 64));
	assert_false(addr_in_net("2001:db8:5::9", "198.51.100.7", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_table),
		cmocka_unit_test(test_row_too_long),
		cmocka_unit_test(test_in_net),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
