// The canonical encoding of a case event, which its hash covers (docs/cases.md, "The event
// log"): shared by the engine and by the audit module's proof verifiers, which check an
// event's stated content without an engine.
#ifndef GRIDGOV_SRC_CASES_EVENT_ENCODING_HPP
#define GRIDGOV_SRC_CASES_EVENT_ENCODING_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/sha256.hpp"
#include "gridgov/cases.hpp"

namespace gridgov::detail {

/// Event type code of a breach in the canonical encoding; commands use their own values.
inline constexpr std::uint8_t breach_type_code = 64;

/// The fields an event hash covers, as stored.
struct EventFields {
    EventSeq sequence = 0;
    std::uint32_t case_id = 0;
    std::uint32_t case_sequence = 0;
    std::uint8_t type = 0;  // command value or breach_type_code
    int transition = -1;
    std::string_view from_state;
    std::string_view to_state;
    std::string_view actor;
    bool system = false;
    std::int64_t at = 0;
    std::string_view payload;
    const Hash* previous = nullptr;
};

/// The fields of an event as a CaseEvent or a proof states them (members sequence, case_id,
/// case_sequence, transition, from_state, to_state, actor, system, at, payload), its type
/// code and its previous event's hash given; the views point into `e`.
template <class Event>
EventFields event_fields(const Event& e, std::uint8_t type, const Hash& previous) {
    EventFields f;
    f.sequence = e.sequence;
    f.case_id = e.case_id;
    f.case_sequence = e.case_sequence;
    f.type = type;
    f.transition = e.transition;
    f.from_state = e.from_state;
    f.to_state = e.to_state;
    f.actor = e.actor;
    f.system = e.system;
    f.at = e.at.seconds;
    f.payload = e.payload;
    f.previous = &previous;
    return f;
}

/// The canonical byte encoding of an event (docs/cases.md), appended to `out`.
void encode_event(const EventFields& fields, std::string& out);

/// "report" ... "callback", "breach"; nullopt for another text.
std::optional<std::uint8_t> parse_event_type(std::string_view text);
const char* event_type_name(std::uint8_t code);

}  // namespace gridgov::detail

#endif
