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
