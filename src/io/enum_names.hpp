// Names of enum values: one constexpr table of {value, name} per enum, read both ways. The
// first entry of a value is its name (what files, messages and the faces write); later
// entries of the same value are aliases that are read too (综合 for comprehensive, 12345
// for hotline_12345). An empty name is accepted but never listed.
//
//     constexpr EnumName<Post> post_names[] = {{Post::a, "A"}, {Post::b, "B"}, {Post::a, "A岗"}};
//     const char* post_name(Post p) noexcept { return detail::enum_name(post_names, p, "A"); }
//     Post parse_post(std::string_view t) { return detail::parse_enum(post_names, t, "post"); }
#ifndef GRIDGOV_SRC_IO_ENUM_NAMES_HPP
#define GRIDGOV_SRC_IO_ENUM_NAMES_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gridgov::detail {

template <class E>
struct EnumName {
    E value;
    const char* name;
};

/// The name of `value`: its first entry in `table`; `fallback` when it has none.
template <class E, std::size_t N>
constexpr const char* enum_name(const EnumName<E> (&table)[N], E value,
                                const char* fallback = "unknown") noexcept {
    for (const EnumName<E>& e : table) {
        if (e.value == value)
            return e.name;
    }
    return fallback;
}

/// The value `text` names (a name or an alias, compared exactly); nullopt when none.
template <class E, std::size_t N>
constexpr std::optional<E> find_enum(const EnumName<E> (&table)[N],
                                     std::string_view text) noexcept {
    for (const EnumName<E>& e : table) {
        if (text == e.name)
            return e.value;
    }
    return std::nullopt;
}

/// "a, b, c or d": the non-empty names of `names`, in order.
std::string enum_names_text(const char* const* names, std::size_t count);

/// Throws Error(invalid_argument) "unknown <what> '<text>' (expected <accepted>)".
[[noreturn]] void unknown_enum_name(std::string_view what, std::string_view text,
                                    const std::string& accepted);

/// Every non-empty name and alias of `table`, as enum_names_text() lists them.
template <class E, std::size_t N>
std::string enum_names_list(const EnumName<E> (&table)[N]) {
    const char* names[N];
    for (std::size_t i = 0; i < N; ++i)
        names[i] = table[i].name;
    return enum_names_text(names, N);
}

/// The value `text` names. Throws Error(invalid_argument) "unknown <what> '<text>'
/// (expected a, b or c)", listing every name and alias of `table`.
template <class E, std::size_t N>
E parse_enum(const EnumName<E> (&table)[N], std::string_view text, std::string_view what) {
    if (const std::optional<E> value = find_enum(table, text))
        return *value;
    unknown_enum_name(what, text, enum_names_list(table));
}

}  // namespace gridgov::detail

#endif
