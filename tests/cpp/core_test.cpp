#include <doctest/doctest.h>

#include "core/text.hpp"
#include "gridgov/core.hpp"

using namespace gridgov;

TEST_CASE("core.date.round_trips_iso_text") {
    const Date d = Date::parse("2026-02-17");
    CHECK(d.year() == 2026);
    CHECK(d.month() == 2);
    CHECK(d.day() == 17);
    CHECK(d.to_string() == "2026-02-17");
    CHECK(Date::parse("1970-01-01").days == 0);
    CHECK(Date::parse("1969-12-31").days == -1);
    CHECK(Date::from_ymd(2024, 2, 29).to_string() == "2024-02-29");
}

TEST_CASE("core.date.iso_weekday") {
    CHECK(Date::parse("2026-11-21").iso_weekday() == 6);  // Saturday
    CHECK(Date::parse("2015-09-03").iso_weekday() == 4);  // Thursday
    CHECK(Date::parse("1970-01-01").iso_weekday() == 4);
}

TEST_CASE("core.date.rejects_malformed_text_naming_it") {
    for (const char* bad : {"2026-02-30", "2026-13-01", "2026-2-1", "20260201", "", "2025-02-29"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(Date::parse(bad), doctest::Contains(bad), Error);
    }
    try {
        Date::parse("2026-02-30");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
    }
}

TEST_CASE("core.instant.parses_offsets_and_defaults_to_cst") {
    const Instant a = Instant::parse("2026-01-01T08:30");
    const Instant b = Instant::parse("2026-01-01T00:30:00Z");
    const Instant c = Instant::parse("2026-01-01T08:30:00+08:00");
    CHECK(a == b);
    CHECK(a == c);
    CHECK(a.local_date() == Date::parse("2026-01-01"));
    CHECK(a.local_minute_of_day() == 8 * 60 + 30);
    CHECK(a.to_string() == "2026-01-01T08:30:00+08:00");
    CHECK(Instant::from_local(Date::parse("2026-01-01"), 510) == a);
    CHECK_THROWS_AS(Instant::parse("2026-01-01 08:30"), Error);
    CHECK_THROWS_AS(Instant::parse("2026-01-01T25:00"), Error);
}

TEST_CASE("core.date.rejects_malformed_text_saying_why") {
    CHECK_THROWS_WITH_AS(Date::parse("2026-02-30"),
                         "\"2026-02-30\" is not an ISO 8601 date (expected YYYY-MM-DD): February "
                         "2026 has 28 days",
                         Error);
    CHECK_THROWS_WITH_AS(Date::parse("2026-13-01"), doctest::Contains("month 13 is not 01-12"),
                         Error);
    CHECK_THROWS_WITH_AS(Date::parse("2100-02-29"), doctest::Contains("February 2100 has 28 days"),
                         Error);
    for (const char* bad : {"2026-03-02T10:00", " 2026-03-02", "2026-03-02 ", "+2026-03-02",
                            "2026/03/02", "2026-03-0x"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(Date::parse(bad), doctest::Contains("(expected YYYY-MM-DD)"), Error);
    }
    CHECK(Date::parse("2000-02-29").to_string() == "2000-02-29");
    CHECK_THROWS_WITH_AS(Date::from_ymd(2025, 2, 29),
                         "2025-02-29 is not a date: February 2025 has 28 days", Error);
    CHECK_THROWS_WITH_AS(Date::from_ymd(10000, 1, 1), doctest::Contains("year 10000"), Error);
    CHECK_THROWS_WITH_AS(Date::from_ymd(2026, 0, 1), doctest::Contains("month 0"), Error);
}

TEST_CASE("core.date.every_day_number_has_a_name") {
    // Four-digit years before the ones Boost.Date_Time names still read and print.
    const Date early = Date::parse("0400-02-29");
    CHECK(early.to_string() == "0400-02-29");
    CHECK(early.year() == 400);
    CHECK(early.month() == 2);
    CHECK(early.day() == 29);
    CHECK(Date::parse("1399-12-31").days + 1 == Date::parse("1400-01-01").days);
    CHECK(Date::parse("1400-01-01").iso_weekday() == 3);  // Wednesday
    CHECK(Date::parse("1399-12-31").iso_weekday() == 2);
    CHECK(Date::parse("0001-01-01").iso_weekday() == 1);  // Monday, proleptic Gregorian
    CHECK(Date::parse("9999-12-31").year() == 9999);
    CHECK(Date::from_ymd(0, 1, 1).days == -719528);
    // The open-ended sentinels print as infinities; days next to them still have dates.
    CHECK(Date::min().to_string() == "-inf");
    CHECK(Date::max().to_string() == "+inf");
    CHECK(Date{Date::max().days - 1}.to_string() == "4707-11-28");
    CHECK(Date{Date::min().days + 1}.year() == -768);
    CHECK(Date::parse("9999-12-31").to_string() == "+inf");  // after max(), as every later day
    // Neighbouring days across a month, a leap day and a year.
    Date d = Date::parse("2023-12-30");
    std::string walk;
    for (int i = 0; i < 3; ++i, d = Date{d.days + 1})
        walk += d.to_string() + " ";
    CHECK(walk == "2023-12-30 2023-12-31 2024-01-01 ");
    CHECK(Date{Date::parse("2024-02-28").days + 1}.to_string() == "2024-02-29");
}

TEST_CASE("core.instant.reads_fractional_seconds_toward_the_earlier_second") {
    const Instant ten = Instant::parse("2026-03-02T10:00");
    CHECK(Instant::parse("2026-03-02T10:00:00.000+08:00") == ten);
    // JavaScript's toISOString() and Java's Instant.toString().
    CHECK(Instant::parse("2026-03-02T02:00:00.123Z") == ten);
    CHECK(Instant::parse("2026-03-02T02:00:00.5Z") == ten);
    CHECK(Instant::parse("2026-03-02T02:00:00.999999999Z") == ten);
    CHECK(Instant::parse("2026-03-02T10:00:07.123456789").seconds == ten.seconds + 7);
    // Before the epoch the earlier second is the more negative one.
    CHECK(Instant::parse("1969-12-31T23:59:59.9Z").seconds == -1);
    CHECK(Instant::parse("1970-01-01T00:00:00.1Z").seconds == 0);
}

TEST_CASE("core.instant.reads_every_offset_form") {
    const Instant ten = Instant::parse("2026-03-02T10:00");
    CHECK(ten.to_string() == "2026-03-02T10:00:00+08:00");
    CHECK(Instant::parse("2026-03-02T10:00+08:00") == ten);
    CHECK(Instant::parse("2026-03-02T10:00+0800") == ten);
    CHECK(Instant::parse("2026-03-02T10:00+08") == ten);
    CHECK(Instant::parse("2026-03-02T02:00Z") == ten);
    CHECK(Instant::parse("2026-03-02T02:00:00+00:00") == ten);
    CHECK(Instant::parse("2026-03-02T02:00:00-00:00") == ten);
    CHECK(Instant::parse("2026-03-01T21:00:00-05:00") == ten);
    CHECK(Instant::parse("2026-03-01T20:30-05:30") == ten);
    CHECK(Instant::parse("2026-03-01T20:30-0530") == ten);
    CHECK(Instant::parse("2026-03-02T07:30:00.250+05:30") == ten);
    CHECK(Instant::parse("2026-03-02T16:00+14:00") == ten);
    CHECK(Instant::parse("2026-03-01T14:00-12:00") == ten);
    // An offset moves the local date too.
    CHECK(Instant::parse("2026-03-01T23:30:00-05:00").local_date() == Date::parse("2026-03-02"));
    CHECK(Instant::parse("2026-03-01T23:30:00-05:00").local_minute_of_day() == 12 * 60 + 30);
}

TEST_CASE("core.instant.rejects_malformed_text_naming_it_and_the_form") {
    CHECK_THROWS_WITH_AS(Instant::parse("2026-03-02T25:00"),
                         "\"2026-03-02T25:00\" is not an ISO 8601 instant (expected "
                         "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]): hour 25 is not 00-23",
                         Error);
    struct Bad {
        const char* text;
        const char* why;  // "" when the form alone says it
    };
    for (const Bad& bad : {
             Bad{"2026-02-30T10:00", "February 2026 has 28 days"},
             Bad{"2026-13-02T10:00", "month 13 is not 01-12"},
             Bad{"2026-03-02T10:60", "minute 60 is not 00-59"},
             Bad{"2026-03-02T10:00:60", "second 60 is not 00-59"},
             Bad{"2026-03-02T24:00", "hour 24 is not 00-23"},
             Bad{"2026-03-02T10:00+24:00", "offset +24:00 is beyond ±14:00"},
             Bad{"2026-03-02T10:00-14:30", "offset -14:30 is beyond ±14:00"},
             Bad{"2026-03-02T10:00+08:60", "offset minute 60 is not 00-59"},
             Bad{"2026-03-02 10:00", "joined by 'T', not a space"},
             Bad{"2026-03-02T1:00", ""},
             Bad{"2026-03-02T10", ""},
             Bad{"2026-03-02T10:0", ""},
             Bad{"2026-03-2T10:00", ""},
             Bad{"2026-03-02T10:00:0", ""},
             Bad{"2026-03-02T10:00:00.", ""},
             Bad{"2026-03-02T10:00:00,5", ""},
             Bad{"2026-03-02T10:00.5", ""},
             Bad{"2026-03-02T10:00:00+08:00 ", ""},
             Bad{"2026-03-02T10:00:00+08:00abc", ""},
             Bad{"2026-03-02T10:00:00Zulu", ""},
             Bad{"2026-03-02T10:00+8", ""},
             Bad{"2026-03-02T10:00+08:0", ""},
             Bad{"2026-03-02T10:00+080", ""},
             Bad{"2026-03-02T10:00+08000", ""},
             Bad{"2026-03-02t10:00", ""},
             Bad{"2026-03-02", ""},
             Bad{"", ""},
         }) {
        CAPTURE(bad.text);
        try {
            Instant::parse(bad.text);
            FAIL("accepted");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_argument);
            const std::string m = e.what();
            CHECK(m.rfind("\"" + std::string(bad.text) +
                              "\" is not an ISO 8601 instant (expected "
                              "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH])",
                          0) == 0);
            CHECK(m.find(bad.why) != std::string::npos);
        }
    }
}

TEST_CASE("core.instant.prints_cst_and_round_trips") {
    for (const char* text :
         {"2026-03-02T10:00:00+08:00", "1970-01-01T08:00:00+08:00", "1969-12-31T23:59:59+08:00",
          "2024-02-29T00:00:00+08:00", "1400-01-01T00:00:00+08:00", "0001-01-01T00:00:00+08:00",
          "9999-12-31T23:59:59+08:00"}) {
        CAPTURE(text);
        CHECK(Instant::parse(text).to_string() == text);
    }
    CHECK(Instant{0}.to_string() == "1970-01-01T08:00:00+08:00");
    CHECK(Instant::min().to_string() == "-inf");
    CHECK(Instant::max().to_string() == "+inf");
}

TEST_CASE("core.instant.local_date_before_1970") {
    const Instant t = Instant::parse("1969-12-31T23:59:59+08:00");
    CHECK(t.local_date().to_string() == "1969-12-31");
    CHECK(t.local_minute_of_day() == 23 * 60 + 59);
}

TEST_CASE("core.period.half_open") {
    const Period p{Date::parse("2026-01-01"), Date::parse("2026-02-01")};
    CHECK(p.contains(Date::parse("2026-01-31")));
    CHECK_FALSE(p.contains(Date::parse("2026-02-01")));
    CHECK(p.overlaps(Period{Date::parse("2026-01-31"), Date::max()}));
    CHECK_FALSE(p.overlaps(Period{Date::parse("2026-02-01"), Date::max()}));
    CHECK(Period{Date::parse("2026-02-01"), Date::parse("2026-02-01")}.empty());
}

// ---- the text check every input passes --------------------------------------------------

TEST_CASE("core.text.utf8_and_control_characters") {
    using gridgov::detail::is_utf8;
    using gridgov::detail::text_problem;
    using gridgov::detail::TextKind;
    using gridgov::detail::utf8_error_offset;
    CHECK(is_utf8(""));
    CHECK(is_utf8("青石镇 Qingshi \xF0\x9F\x98\x80"));
    CHECK(utf8_error_offset("ab\xFF") == 2u);            // a byte that starts nothing
    CHECK(utf8_error_offset("\xC0\xAF") == 0u);          // overlong '/'
    CHECK(utf8_error_offset("x\xED\xA0\x80") == 1u);     // a surrogate
    CHECK(utf8_error_offset("\xF4\x90\x80\x80") == 0u);  // above U+10FFFF
    CHECK(utf8_error_offset("\xE9\x9D") == 0u);          // cut short
    CHECK_FALSE(text_problem("青石镇", TextKind::line));
    const std::string nul(1, '\0');
    CHECK(text_problem("a" + nul, TextKind::free)->rfind("control character U+0000 at byte 1", 0) ==
          0);
    CHECK(text_problem("a\tb", TextKind::line)->rfind("control character U+0009", 0) == 0);
    CHECK(text_problem("a\nb", TextKind::line)->rfind("control character U+000A", 0) == 0);
    CHECK_FALSE(text_problem("a\tb\r\nc", TextKind::free));
    CHECK(text_problem("\x7F", TextKind::free)->rfind("control character U+007F", 0) == 0);
    CHECK(text_problem("\xC2\x85", TextKind::free)->rfind("control character U+0085", 0) == 0);
    CHECK_FALSE(text_problem("\xC2\xA0", TextKind::line));  // no-break space is printable
    CHECK(text_problem("ab\xFF", TextKind::free)->rfind("not UTF-8 text: byte 0xFF at byte 2", 0) ==
          0);
    CHECK_THROWS_WITH_AS(gridgov::detail::check_text("\x01", TextKind::line, "argument --note"),
                         doctest::Contains("argument --note: control character U+0001"),
                         gridgov::Error);
}
