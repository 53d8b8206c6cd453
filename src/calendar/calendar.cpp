// The working calendar: holiday data, overrides and the schedule compiled into per-day
// tables over covered(), so that working time and deadlines are prefix-sum look-ups and
// searches.
#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "calendar/builtin_data.hpp"
#include "calendar/holiday_json.hpp"
#include "gridgov/calendar.hpp"
#include "io/enum_names.hpp"
#include "io/files.hpp"

namespace gridgov {
namespace {

constexpr int first_year = 1990;
constexpr int end_year = 2100;  // exclusive
constexpr std::int64_t day_seconds = 86400;

const Date first_date = Date::from_ymd(first_year, 1, 1);
const Date end_date = Date::from_ymd(end_year, 1, 1);
const std::int32_t day_count = end_date.days - first_date.days;

// Day index (from first_date) of 1 January of each covered year and of end_year: the year
// of a day is a look-up here, not a calendar computation per query.
const std::vector<std::int32_t> year_begin = [] {
    std::vector<std::int32_t> out;
    for (int y = first_year; y <= end_year; ++y)
        out.push_back(Date::from_ymd(y, 1, 1).days - first_date.days);
    return out;
}();

// The year of day index `i` (0 <= i < day_count). A year has at most 366 days, so at least
// i / 366 years have begun; the table takes it the rest of the way (a step or two).
int year_of_day(std::int64_t i) {
    auto y = static_cast<std::size_t>(i / 366);
    while (year_begin[y + 1] <= i)
        ++y;
    return first_year + static_cast<int>(y);
}

[[noreturn]] void outside(const std::string& what) {
    throw Error(ErrorCode::invalid_argument, what + " is outside the dates the calendar covers (" +
                                                 first_date.to_string() + " to " +
                                                 Date{end_date.days - 1}.to_string() + ")");
}

// One working period compiled to seconds after local midnight.
struct Segment {
    std::int32_t start;
    std::int32_t end;
};

struct Listed {
    int source_year;
    bool off_day;
    std::string name;
};

struct LocalDay {
    bool off_day;
    std::string name;
};

struct YearRecord {
    bool published = false;
    int listed_days = 0;
    std::vector<std::string> papers;
};

// Adds the years of `more` to the sorted, duplicate-free `into`.
void merge_years(std::vector<int>& into, const std::vector<int>& more) {
    if (more.empty())
        return;
    std::vector<int> out;
    out.reserve(into.size() + more.size());
    std::set_union(into.begin(), into.end(), more.begin(), more.end(), std::back_inserter(out));
    into.swap(out);
}

}  // namespace

struct WorkingCalendar::Impl {
    // Source of truth.
    std::map<std::int32_t, Listed> official;  // by day number
    std::map<int, YearRecord> years;
    std::map<std::int32_t, LocalDay> local;
    WorkingSchedule schedule;

    // Compiled tables; day i is Date{first_date.days + i}.
    // The periods of every hours variant back to back; variant h (0 = standard hours,
    // 1 + k = season k) is segments[hours_begin[h], hours_begin[h + 1]).
    std::vector<Segment> segments;
    std::vector<std::uint32_t> hours_begin;
    std::vector<std::uint8_t> day_code;      // 0 = rest day, else 1 + hours variant
    std::vector<std::int32_t> cum_minutes;   // working minutes before day i (size day_count + 1)
    std::vector<std::int32_t> cum_workdays;  // working days before day i (size day_count + 1)
    std::vector<bool> published;             // by year - first_year

    void rebuild();
    void add_files(std::vector<detail::YearFile> files);

    // ---- primitives on the tables (no data-availability checks) ----

    static std::int32_t day_index(Date d, const char* what) {
        if (d < first_date || d >= end_date)
            outside(std::string(what) + " " + d.to_string());
        return d.days - first_date.days;
    }

    // Seconds of `t` after local midnight of day 0; throws outside the covered dates.
    static std::int64_t local_seconds(Instant t) {
        const std::int64_t first = Instant::from_local(first_date).seconds;
        const std::int64_t span = static_cast<std::int64_t>(day_count) * day_seconds;
        if (t.seconds < first || t.seconds - first >= span) {
            // Far-off instants have no printable date: name them in seconds.
            const bool printable = t.seconds > -(1LL << 40) && t.seconds < (1LL << 40);
            outside("instant " + (printable ? t.to_string() : std::to_string(t.seconds) + " s"));
        }
        return t.seconds - first;
    }

    static Instant instant_of(std::int64_t local) {
        return Instant{local + Instant::from_local(first_date).seconds};
    }

    // Working seconds from local midnight of day 0 up to `local`.
    std::int64_t cumulative(std::int64_t local) const {
        const auto i = static_cast<std::size_t>(local / day_seconds);
        const auto s = static_cast<std::int32_t>(local % day_seconds);
        std::int64_t w = static_cast<std::int64_t>(cum_minutes[i]) * 60;
        if (const std::uint8_t code = day_code[i]; code != 0) {
            const Segment* seg = segments.data() + hours_begin[code - 1u];
            const Segment* last = segments.data() + hours_begin[code];
            for (; seg != last && s > seg->start; ++seg)
                w += std::min(s, seg->end) - seg->start;
        }
        return w;
    }

    // The first index j >= from with table[j] >= value, or table.size() when none; galloping
    // from `from` so that short spans cost O(log span).
    static std::size_t search(const std::vector<std::int32_t>& table, std::size_t from,
                              std::int32_t value) {
        std::size_t lo = from;
        std::size_t probe = from;
        std::size_t step = 1;
        while (probe < table.size() && table[probe] < value) {
            lo = probe + 1;
            probe = lo + step;
            step *= 2;
        }
        const std::size_t hi = std::min(probe + 1, table.size());
        return static_cast<std::size_t>(
            std::lower_bound(table.begin() + static_cast<std::ptrdiff_t>(lo),
                             table.begin() + static_cast<std::ptrdiff_t>(hi), value) -
            table.begin());
    }

    // The earliest local second with cumulative() == target, for target > cumulative(from).
    std::int64_t inverse(std::int64_t from_local, std::int64_t target) const {
        const auto start_day = static_cast<std::size_t>(from_local / day_seconds);
        // cum_minutes holds whole minutes: the day that reaches `target` is the last one
        // whose prefix is still below it.
        const auto target_minutes = static_cast<std::int32_t>((target + 59) / 60);
        const std::size_t j = search(cum_minutes, start_day + 1, target_minutes);
        if (j >= cum_minutes.size()) {
            outside("the deadline (after " + Date{end_date.days - 1}.to_string() + ")");
        }
        const std::size_t day = j - 1;
        std::int64_t rest = target - static_cast<std::int64_t>(cum_minutes[day]) * 60;
        const std::uint8_t code = day_code[day];
        const Segment* seg = segments.data() + hours_begin[code - 1u];
        const Segment* last = segments.data() + hours_begin[code];
        for (; seg != last; ++seg) {
            const std::int64_t len = seg->end - seg->start;
            if (rest <= len)
                break;
            rest -= len;
        }
        return static_cast<std::int64_t>(day) * day_seconds + seg->start + rest;
    }

    // Close of business of the nth working day after day `start_day` (n >= 1).
    std::int64_t close_of_business(std::size_t start_day, std::int64_t n) const {
        const std::int64_t wanted = cum_workdays[start_day + 1] + n;
        if (wanted > cum_workdays.back()) {
            outside("the deadline (after " + Date{end_date.days - 1}.to_string() + ")");
        }
        const std::size_t j =
            search(cum_workdays, start_day + 1, static_cast<std::int32_t>(wanted));
        const std::size_t day = j - 1;
        const std::uint8_t code = day_code[day];
        return static_cast<std::int64_t>(day) * day_seconds + segments[hours_begin[code] - 1].end;
    }

    std::int64_t day_length_seconds(Date d) const {
        return static_cast<std::int64_t>(schedule.hours_on(d).minutes()) * 60;
    }

    // Years without published data among the days [first, last] (day indexes), sorted.
    // Under NoDataPolicy::error the first such year throws.
    std::vector<int> check_span(std::int64_t first, std::int64_t last, NoDataPolicy policy) const {
        const int y0 = year_of_day(first);
        const int y1 = year_of_day(last);
        std::vector<int> assumed;
        for (int y = y0; y <= y1; ++y) {
            if (published[static_cast<std::size_t>(y - first_year)])
                continue;
            if (policy == NoDataPolicy::error) {
                throw Error(ErrorCode::no_data,
                            "the calendar has no data for " + std::to_string(y));
            }
            assumed.push_back(y);
        }
        return assumed;
    }

    // Days touched by the half-open span between two local instants.
    std::vector<int> check_interval(std::int64_t a, std::int64_t b, NoDataPolicy policy) const {
        if (a == b)
            return {};
        const std::int64_t lo = std::min(a, b);
        const std::int64_t hi = std::max(a, b) - 1;
        return check_span(lo / day_seconds, hi / day_seconds, policy);
    }

    DeadlineReport deadline(Instant start, const TimeLimit& limit, NoDataPolicy policy) const {
        limit.validate();
        DeadlineReport report;
        if (!limit.counts_working_time()) {
            const std::int64_t per = limit.unit == TimeUnit::natural_minutes ? 60
                                     : limit.unit == TimeUnit::natural_hours ? 3600
                                                                             : day_seconds;
            if (start.seconds > Instant::max().seconds - limit.value * per) {
                throw Error(ErrorCode::invalid_argument,
                            "the deadline of " + limit.to_json() + " from " +
                                std::to_string(start.seconds) + " s overflows");
            }
            report.deadline = Instant{start.seconds + limit.value * per};
            return report;
        }
        const std::int64_t from = local_seconds(start);
        if (limit.unit == TimeUnit::working_days &&
            limit.day_rule == WorkingDayRule::close_of_business) {
            std::int64_t until = from;
            if (limit.value > 0) {
                until =
                    close_of_business(static_cast<std::size_t>(from / day_seconds), limit.value);
            }
            report.assumed_years = check_interval(from, until, policy);
            report.deadline = instant_of(until);
            return report;
        }
        const Date start_day{first_date.days + static_cast<std::int32_t>(from / day_seconds)};
        const std::int64_t amount = limit.unit == TimeUnit::working_days
                                        ? limit.value * day_length_seconds(start_day)
                                    : limit.unit == TimeUnit::working_hours ? limit.value * 3600
                                                                            : limit.value * 60;
        return add_working_seconds(start, amount, policy);
    }

    DeadlineReport add_working_seconds(Instant start, std::int64_t seconds,
                                       NoDataPolicy policy) const {
        constexpr std::int64_t max_seconds = 200LL * 366 * day_seconds;
        if (seconds < 0 || seconds > max_seconds) {
            throw Error(ErrorCode::invalid_argument, "working time " + std::to_string(seconds) +
                                                         " s must be between 0 and 200 years");
        }
        const std::int64_t from = local_seconds(start);
        const std::int64_t until = seconds > 0 ? inverse(from, cumulative(from) + seconds) : from;
        DeadlineReport report;
        report.assumed_years = check_interval(from, until, policy);
        report.deadline = instant_of(until);
        return report;
    }

    WorkingTimeReport working_time(Instant a, Instant b, NoDataPolicy policy) const {
        const std::int64_t la = local_seconds(a);
        const std::int64_t lb = local_seconds(b);
        WorkingTimeReport report;
        report.assumed_years = check_interval(la, lb, policy);
        report.seconds = cumulative(lb) - cumulative(la);
        return report;
    }
};

// ---- tables --------------------------------------------------------------------------

void WorkingCalendar::Impl::rebuild() {
    std::vector<const WorkingHours*> variants{&schedule.standard()};
    for (const Season& s : schedule.seasons())
        variants.push_back(&s.hours);
    segments.clear();
    hours_begin.assign(1, 0);
    std::vector<std::int32_t> variant_minutes;
    for (const WorkingHours* h : variants) {
        for (const WorkingPeriod& p : h->periods()) {
            segments.push_back(Segment{p.start_minute * 60, p.end_minute * 60});
        }
        hours_begin.push_back(static_cast<std::uint32_t>(segments.size()));
        variant_minutes.push_back(h->minutes());
    }

    const auto n = static_cast<std::size_t>(day_count);
    day_code.assign(n, 0);
    cum_minutes.assign(n + 1, 0);
    cum_workdays.assign(n + 1, 0);
    auto off = official.begin();
    auto loc = local.begin();
    // 1 = Monday ... 7 = Sunday, stepped along with the days.
    unsigned weekday = first_date.iso_weekday();
    for (std::size_t i = 0; i < n; ++i, weekday = weekday % 7 + 1) {
        const Date d{first_date.days + static_cast<std::int32_t>(i)};
        bool working = weekday <= 5;
        while (off != official.end() && off->first < d.days)
            ++off;
        if (off != official.end() && off->first == d.days)
            working = !off->second.off_day;
        while (loc != local.end() && loc->first < d.days)
            ++loc;
        if (loc != local.end() && loc->first == d.days)
            working = !loc->second.off_day;

        std::size_t variant = 0;
        const auto& seasons = schedule.seasons();
        for (std::size_t k = 0; k < seasons.size(); ++k) {
            if (seasons[k].contains(d)) {
                variant = k + 1;
                break;
            }
        }
        day_code[i] = working ? static_cast<std::uint8_t>(variant + 1) : 0;
        cum_minutes[i + 1] = cum_minutes[i] + (working ? variant_minutes[variant] : 0);
        cum_workdays[i + 1] = cum_workdays[i] + (working ? 1 : 0);
    }

    published.assign(static_cast<std::size_t>(end_year - first_year), false);
    for (const auto& [year, record] : years) {
        if (year >= first_year && year < end_year) {
            published[static_cast<std::size_t>(year - first_year)] = record.published;
        }
    }
}

void WorkingCalendar::Impl::add_files(std::vector<detail::YearFile> files) {
    // Validate the whole batch against the current data first: a refused load changes
    // nothing.
    std::set<int> replaced;
    std::map<std::int32_t, const detail::YearFile*> batch_dates;
    for (const detail::YearFile& f : files) {
        if (!replaced.insert(f.year).second) {
            throw Error(ErrorCode::already_exists,
                        f.source + ": year " + std::to_string(f.year) + " appears twice");
        }
    }
    for (const detail::YearFile& f : files) {
        for (const detail::ListedDay& d : f.days) {
            day_index(d.date, (f.source + ": date").c_str());
            const auto [it, fresh] = batch_dates.emplace(d.date.days, &f);
            if (!fresh) {
                throw Error(ErrorCode::already_exists, f.source + ": " + d.date.to_string() +
                                                           " is also listed by " +
                                                           it->second->source);
            }
            const auto existing = official.find(d.date.days);
            if (existing != official.end() && replaced.count(existing->second.source_year) == 0) {
                throw Error(ErrorCode::already_exists,
                            f.source + ": " + d.date.to_string() +
                                " is already listed by the year file " +
                                std::to_string(existing->second.source_year));
            }
        }
    }
    for (auto it = official.begin(); it != official.end();) {
        it = replaced.count(it->second.source_year) != 0 ? official.erase(it) : std::next(it);
    }
    for (detail::YearFile& f : files) {
        YearRecord& record = years[f.year];
        record.published = detail::lists_spring_festival(f);
        record.listed_days = static_cast<int>(f.days.size());
        record.papers = std::move(f.papers);
        for (detail::ListedDay& d : f.days) {
            official[d.date.days] = Listed{f.year, d.off_day, std::move(d.name)};
        }
    }
    rebuild();
}

// ---- WorkingCalendar -----------------------------------------------------------------

WorkingCalendar::WorkingCalendar(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WorkingCalendar::WorkingCalendar() : impl_(std::make_unique<Impl>()) {
    std::vector<detail::YearFile> files;
    for (std::size_t y = 0; y < detail::builtin_year_count; ++y) {
        const detail::BuiltinYear& by = detail::builtin_years[y];
        detail::YearFile f;
        f.year = by.year;
        f.source = "built-in " + std::to_string(by.year) + ".json";
        for (std::size_t p = 0; p < by.paper_count; ++p) {
            f.papers.emplace_back(detail::builtin_papers[by.first_paper + p]);
        }
        for (std::size_t k = 0; k < by.day_count; ++k) {
            const detail::BuiltinDay& d = detail::builtin_days[by.first_day + k];
            f.days.push_back(detail::ListedDay{Date::parse(d.date), d.off_day, d.name});
        }
        files.push_back(std::move(f));
    }
    impl_->add_files(std::move(files));
}

WorkingCalendar WorkingCalendar::without_data() {
    auto impl = std::make_unique<Impl>();
    impl->rebuild();
    return WorkingCalendar(std::move(impl));
}

WorkingCalendar WorkingCalendar::from_json(std::string_view json, std::string_view source) {
    WorkingCalendar cal = without_data();
    cal.add_year_json(json, source);
    return cal;
}

WorkingCalendar::WorkingCalendar(const WorkingCalendar& other)
    : impl_(std::make_unique<Impl>(*other.impl_)) {}

WorkingCalendar& WorkingCalendar::operator=(const WorkingCalendar& other) {
    if (this != &other)
        impl_ = std::make_unique<Impl>(*other.impl_);
    return *this;
}

WorkingCalendar::WorkingCalendar(WorkingCalendar&&) noexcept = default;
WorkingCalendar& WorkingCalendar::operator=(WorkingCalendar&&) noexcept = default;
WorkingCalendar::~WorkingCalendar() = default;

Period WorkingCalendar::covered() {
    return Period{first_date, end_date};
}

void WorkingCalendar::add_year_json(std::string_view json, std::string_view source) {
    impl_->add_files(detail::parse_year_files(json, source));
}

void WorkingCalendar::load_year_file(const std::string& path) {
    add_year_json(detail::read_file(path), path);
}

void WorkingCalendar::add_overrides_json(std::string_view json, std::string_view source) {
    const std::vector<DayOverride> days = detail::parse_overrides(json, source);
    for (const DayOverride& d : days)
        Impl::day_index(d.date, (std::string(source) + ": date").c_str());
    for (const DayOverride& d : days)
        impl_->local[d.date.days] = LocalDay{d.off_day, d.name};
    impl_->rebuild();
}

void WorkingCalendar::load_overrides_file(const std::string& path) {
    add_overrides_json(detail::read_file(path), path);
}

void WorkingCalendar::add_override(const DayOverride& override_day) {
    Impl::day_index(override_day.date, "override date");
    impl_->local[override_day.date.days] = LocalDay{override_day.off_day, override_day.name};
    impl_->rebuild();
}

void WorkingCalendar::clear_overrides() {
    impl_->local.clear();
    impl_->rebuild();
}

std::vector<DayOverride> WorkingCalendar::overrides() const {
    std::vector<DayOverride> out;
    for (const auto& [day, l] : impl_->local)
        out.push_back(DayOverride{Date{day}, l.off_day, l.name});
    return out;
}

void WorkingCalendar::set_schedule(WorkingSchedule schedule) {
    impl_->schedule = std::move(schedule);
    impl_->rebuild();
}

const WorkingSchedule& WorkingCalendar::schedule() const {
    return impl_->schedule;
}

bool WorkingCalendar::is_published(int year) const {
    if (year < first_year || year >= end_year)
        return false;
    return impl_->published[static_cast<std::size_t>(year - first_year)];
}

std::vector<YearInfo> WorkingCalendar::years() const {
    std::vector<YearInfo> out;
    for (const auto& [year, r] : impl_->years) {
        out.push_back(YearInfo{year, r.published, r.listed_days, r.papers});
    }
    return out;
}

DayInfo WorkingCalendar::day(Date d) const {
    const auto i = static_cast<std::size_t>(Impl::day_index(d, "date"));
    DayInfo info;
    info.date = d;
    info.published = is_published(d.year());
    info.working = impl_->day_code[i] != 0;
    if (const auto l = impl_->local.find(d.days); l != impl_->local.end()) {
        info.local = true;
        info.name = l->second.name;
        info.type = l->second.off_day ? DayType::holiday : DayType::makeup_workday;
    } else if (const auto o = impl_->official.find(d.days); o != impl_->official.end()) {
        info.name = o->second.name;
        info.type = o->second.off_day ? DayType::holiday : DayType::makeup_workday;
    } else {
        info.type = d.iso_weekday() <= 5 ? DayType::workday : DayType::weekend;
    }
    info.working_minutes = info.working ? impl_->schedule.hours_on(d).minutes() : 0;
    return info;
}

bool WorkingCalendar::is_working_day(Date d) const {
    const std::int32_t i = Impl::day_index(d, "date");
    impl_->check_span(i, i, NoDataPolicy::error);
    return impl_->day_code[static_cast<std::size_t>(i)] != 0;
}

std::int64_t WorkingCalendar::working_day_length(Date d) const {
    return impl_->day_length_seconds(d);
}

Instant WorkingCalendar::deadline(Instant start, const TimeLimit& limit) const {
    return impl_->deadline(start, limit, NoDataPolicy::error).deadline;
}

DeadlineReport WorkingCalendar::deadline_report(Instant start, const TimeLimit& limit,
                                                NoDataPolicy policy) const {
    return impl_->deadline(start, limit, policy);
}

std::int64_t WorkingCalendar::working_time_between(Instant a, Instant b) const {
    return impl_->working_time(a, b, NoDataPolicy::error).seconds;
}

WorkingTimeReport WorkingCalendar::working_time_report(Instant a, Instant b,
                                                       NoDataPolicy policy) const {
    return impl_->working_time(a, b, policy);
}

DeadlineReport WorkingCalendar::add_working_seconds(Instant start, std::int64_t seconds,
                                                    NoDataPolicy policy) const {
    return impl_->add_working_seconds(start, seconds, policy);
}

std::vector<int> WorkingCalendar::deadlines(const std::int64_t* starts, std::size_t count,
                                            const TimeLimit& limit, std::int64_t* out,
                                            NoDataPolicy policy) const {
    limit.validate();
    std::vector<int> assumed;
    for (std::size_t i = 0; i < count; ++i) {
        DeadlineReport r = impl_->deadline(Instant{starts[i]}, limit, policy);
        out[i] = r.deadline.seconds;
        merge_years(assumed, r.assumed_years);
    }
    return assumed;
}

namespace {

constexpr detail::EnumName<DayType> day_type_names[] = {
    {DayType::workday, "workday"},
    {DayType::weekend, "weekend"},
    {DayType::holiday, "holiday"},
    {DayType::makeup_workday, "makeup_workday"},
};

}  // namespace

const char* day_type_name(DayType type) noexcept {
    return detail::enum_name(day_type_names, type);
}

}  // namespace gridgov
