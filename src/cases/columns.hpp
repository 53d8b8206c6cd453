// A read-only view of the case engine's columns, for the code that reads every case at once
// (the case indicators and the assessment runner) without reaching into the engine's
// private state.
//
// The view refers to the engine's column vectors (no copy is made): each column reads
// through its vector, so a view stays valid while the engine lives, also when commands add
// cases meanwhile. A read sees the engine as it is at that moment; reading while a command,
// tick or batch runs on the engine is a data race, as for every const member of CaseEngine.
#ifndef GRIDGOV_SRC_CASES_COLUMNS_HPP
#define GRIDGOV_SRC_CASES_COLUMNS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "gridgov/cases.hpp"

namespace gridgov::detail {

/// Maps `bytes` (a multiple of large_block) of zeroed memory of its own, marked for
/// transparent huge pages where the system offers them; throws std::bad_alloc.
void* map_large(std::size_t bytes);
void unmap_large(void* p, std::size_t bytes) noexcept;
inline constexpr std::size_t large_block = std::size_t{2} << 20;

/// The allocator of the engine's large columns. A block of 2 MiB or more is mapped on its
/// own and marked for huge pages, so that filling a column of a million cases faults in a
/// few hundred pages instead of a hundred thousand (the first touch of fresh 4 KiB pages
/// was most of the time an open of a large file took); smaller blocks come from
/// operator new.
template <class T>
struct LargeAllocator {
    using value_type = T;
    LargeAllocator() = default;
    template <class U>
    LargeAllocator(const LargeAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < large_block)
            return static_cast<T*>(::operator new(bytes));
        return static_cast<T*>(map_large(rounded(bytes)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < large_block)
            ::operator delete(p);
        else
            unmap_large(p, rounded(bytes));
    }
    friend bool operator==(const LargeAllocator&, const LargeAllocator&) { return true; }
    friend bool operator!=(const LargeAllocator&, const LargeAllocator&) { return false; }

  private:
    static std::size_t rounded(std::size_t bytes) {
        return (bytes + large_block - 1) / large_block * large_block;
    }
};

/// A column of the engine: a vector whose large blocks use LargeAllocator.
template <class T>
using ColumnVector = std::vector<T, LargeAllocator<T>>;

inline constexpr std::uint16_t none16 = 0xFFFF;
inline constexpr std::uint32_t none32 = 0xFFFFFFFFu;
/// ClockSlot::run of a stage the case has no clock for.
inline constexpr std::uint8_t clock_absent = 0xFF;

/// The clock of one stage of one case. Amounts are clock seconds (working or natural).
struct ClockSlot {
    std::int64_t start = 0;
    std::int64_t since = 0;
    std::int64_t deadline = 0;
    std::int64_t used = 0;
    std::int64_t limit_value = 0;
    std::int32_t limit_seconds = 0;
    std::int32_t budget = 0;
    std::uint8_t unit = 0;      // TimeUnit
    std::uint8_t day_rule = 0;  // WorkingDayRule
    std::uint8_t run = clock_absent;
    std::uint8_t bits = 0;  // clock_working | clock_breached | clock_assumed
    std::uint16_t extensions = 0;
};
inline constexpr std::uint8_t clock_working = 1;
inline constexpr std::uint8_t clock_breached = 2;
inline constexpr std::uint8_t clock_assumed = 4;

/// Packs the `stages` clock slots at `s` into `out` (replacing what it held) in the stored
/// form of a case row's `clocks` column (docs/cases.md): per entered stage, in stage order,
/// the stage, run, unit, day rule, breached/assumed bits, extensions, limit value, limit
/// seconds, budget - limit seconds, start, since - start, used, deadline - start; LEB128
/// varints, signed values zigzag-encoded. Nothing when no stage was entered.
void pack_clocks(std::string& out, std::size_t stages, const ClockSlot* s);
/// Unpacks what pack_clocks() wrote into `slots` (`stages` of them, absent stages left as
/// they are); throws std::invalid_argument saying what is wrong with a damaged form.
void unpack_clocks(std::string_view packed, std::size_t stages, ClockSlot* slots);

/// What the clocks of many closed cases share: the stage, its run and bits, its limit and
/// how its time counts. The cold store names a shape by its index instead of repeating it
/// in each case (a province's categories have a few dozen limits).
struct ClockShape {
    ClockSlot slot;  ///< the shared fields; the instants and `used` stay zero
    std::uint16_t stage = 0;
    /// The fields that make the shape (compared and hashed).
    auto key() const {
        return std::tie(stage, slot.limit_value, slot.limit_seconds, slot.budget, slot.extensions,
                        slot.run, slot.unit, slot.day_rule, slot.bits);
    }
    friend bool operator==(const ClockShape& a, const ClockShape& b) { return a.key() == b.key(); }
};

/// The shapes the cold store refers to, each kept once and never removed (a rolled-back
/// or compacted entry may leave one unused: there are few).
class ClockShapes {
  public:
    /// The index of the shape of stage `stage`'s slot `c`, added when new.
    std::uint32_t intern(std::size_t stage, const ClockSlot& c);
    const ClockShape& at(std::uint64_t index) const;
    std::size_t size() const { return shapes_.size(); }
    void clear();

  private:
    struct Hash {
        std::size_t operator()(const ClockShape& s) const noexcept;
    };
    std::vector<ClockShape> shapes_;
    std::unordered_map<ClockShape, std::uint32_t, Hash> index_;
    /// The shape each of the first stages had last: cases closed one after another mostly
    /// share it, and then need no hash look-up.
    std::array<std::uint32_t, 8> recent_ = {none32, none32, none32, none32,
                                            none32, none32, none32, none32};
};

/// The engine's own form of the clocks of a cold case, smaller than the stored form
/// (pack_clocks): per entered stage, in stage order, the index of its shape in `shapes`
/// (added when new), then its start (after the previous entered stage's start), since -
/// start, used and deadline - start; LEB128 varints, signed values zigzag-encoded.
void pack_cold(std::string& out, std::size_t stages, const ClockSlot* s, ClockShapes& shapes);
/// Unpacks what pack_cold() wrote into `slots` (`stages` of them, absent stages left as
/// they are).
void unpack_cold(std::string_view form, std::size_t stages, ClockSlot* slots,
                 const ClockShapes& shapes);

/// CaseRow::clock_base of a cold case: the rest is the offset of its clocks in the
/// engine's cold store (a varint length, then the form of pack_cold()).
inline constexpr std::uint64_t cold_clock = std::uint64_t{1} << 63;

/// One column of the engine, read through its vector.
template <class T>
class Column {
  public:
    explicit Column(const ColumnVector<T>& values) : values_(&values) {}
    const T& operator[](std::size_t i) const { return (*values_)[i]; }
    const T* data() const { return values_->data(); }
    std::size_t size() const { return values_->size(); }

  private:
    const ColumnVector<T>* values_;
};

/// The case columns (indexed by CaseId) and what is needed to read them: each case's run
/// of clock slots (one per stage of its workflow, in the order of WorkflowSpec::stages) and
/// of counters (in the order of WorkflowSpec::counters); its flags as bits in the order of
/// WorkflowSpec::flags; its state as an index into WorkflowSpec::states of its workflow.
class CaseColumns {
  public:
    Column<std::uint16_t> spec;      ///< index of the case's workflow version (workflow())
    Column<std::uint16_t> state;     ///< index into the workflow's states
    Column<std::uint16_t> category;  ///< index into categories().categories
    Column<std::uint32_t> node;
    Column<std::uint32_t> reporter;    ///< interned person (person()); none32 = none
    Column<std::uint32_t> department;  ///< index into departments(); none32 = none
    Column<std::uint32_t> route_node;  ///< no_node until the case is routed (dispatched)
    Column<std::uint8_t> source;       ///< CaseSource
    Column<std::uint8_t> rating;       ///< 0 = none, else 1 + Satisfaction
    Column<std::uint8_t> rating_score;
    Column<std::uint8_t> breached;  ///< some clock of the case ran out
    Column<std::uint32_t> flags;
    Column<std::int64_t> reported_at;
    Column<std::int64_t> closed_at;    ///< Instant::max() while not closed
    Column<std::uint64_t> clock_base;  ///< into `clocks`, or cold_clock | offset into `cold`
    Column<std::uint32_t> counter_base;
    Column<ClockSlot> clocks;
    Column<char> cold;  ///< the clocks of closed cases (pack_cold())
    Column<std::int32_t> counters;

    std::size_t size() const { return spec.size(); }
    /// The clock slots of case `id`: its run in `clocks`, or a closed case's unpacked into
    /// `scratch` (which the pointer then refers to).
    const ClockSlot* slots(CaseId id, std::vector<ClockSlot>& scratch) const;
    /// Where the clocks of case `id` are read from, for prefetching.
    const void* clocks_address(CaseId id) const;
    const std::int32_t* counter_values(CaseId id) const {
        return counters.data() + counter_base[id];
    }

    /// The workflow versions cases refer to by `spec`, in registration order.
    std::size_t workflow_count() const;
    const WorkflowSpec& workflow(std::size_t spec) const;
    const CategoryCatalogue& categories() const;
    const DepartmentCatalogue& departments() const;
    std::optional<std::uint32_t> department_index(std::string_view code) const;
    const WorkingCalendar& calendar() const;
    const Hierarchy& hierarchy() const;
    std::string_view number(CaseId id) const;
    /// The interned id of a person the engine has seen, if any.
    std::optional<std::uint32_t> person(std::string_view id) const;

  private:
    explicit CaseColumns(const CaseEngine::Impl& engine);
    friend CaseColumns columns_of(const CaseEngine& engine);
    const CaseEngine::Impl* engine_;
};

/// The columns of `engine`; the view must not outlive the engine.
CaseColumns columns_of(const CaseEngine& engine);

}  // namespace gridgov::detail

#endif
