// Persistence of oversight (tables oversight_* in migration 14): one row per inspection
// with its inspectors and findings as JSON arrays, one row per promise and per rating.
#include "store/oversight_store.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace gridgov::detail {

struct OversightStatements {
    explicit OversightStatements(Db& db)
        : inspections(db.prepare("SELECT id, draw, subject, at, inspectors, findings, note "
                                 "FROM oversight_inspections ORDER BY seq")),
          insert_inspection(db.prepare(
              "INSERT INTO oversight_inspections (seq, id, draw, subject, at, inspectors, "
              "findings, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")),
          promises(db.prepare("SELECT id, case_number, what, by_date, at, team, place, note "
                              "FROM oversight_promises ORDER BY seq")),
          insert_promise(db.prepare(
              "INSERT INTO oversight_promises (seq, id, case_number, what, by_date, at, team, "
              "place, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
          ratings(db.prepare(
              "SELECT promise, rater, score, at, note FROM oversight_ratings ORDER BY seq")),
          insert_rating(db.prepare("INSERT INTO oversight_ratings (seq, promise, rater, score, "
                                   "at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
          hazards(db.prepare("SELECT id, case_number, at, person, record, found_by, grade, "
                             "deadline, progress, evidence, note FROM oversight_hazards ORDER BY "
                             "seq")),
          insert_hazard(db.prepare(
              "INSERT INTO oversight_hazards (seq, id, case_number, at, person, record, "
              "found_by, grade, deadline, progress, evidence, note) VALUES (?1, ?2, ?3, ?4, ?5, "
              "?6, ?7, ?8, ?9, ?10, ?11, ?12)")) {}

    Statement inspections;
    Statement insert_inspection;
    Statement promises;
    Statement insert_promise;
    Statement ratings;
    Statement insert_rating;
    Statement hazards;
    Statement insert_hazard;
};

OversightStore::OversightStore(Db& db) : db_(db) {}
OversightStore::~OversightStore() = default;

OversightStatements& OversightStore::statements() {
    if (!sql_)
        sql_ = std::make_unique<OversightStatements>(db_);
    return *sql_;
}

namespace {

using Json = nlohmann::json;

std::string findings_json(const std::vector<InspectionFinding>& findings) {
    Json all = Json::array();
    for (const InspectionFinding& f : findings) {
        all.push_back(Json{{"item", f.item},
                           {"deduction", f.deduction},
                           {"charged_to", f.charged_to},
                           {"evidence", f.evidence},
                           {"note", f.note}});
    }
    return all.dump();
}

std::vector<InspectionFinding> findings_of(const std::string& text) {
    std::vector<InspectionFinding> out;
    for (const Json& j : Json::parse(text)) {
        InspectionFinding f;
        f.item = j.at("item").get<std::string>();
        f.deduction = j.at("deduction").get<double>();
        f.charged_to = j.at("charged_to").get<std::string>();
        f.evidence = j.at("evidence").get<std::vector<std::string>>();
        f.note = j.at("note").get<std::string>();
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace

void OversightStore::append_inspections(std::size_t stored,
                                        const std::vector<Inspection>& inspections) {
    Statement& st = statements().insert_inspection;
    std::int64_t seq = static_cast<std::int64_t>(stored);
    for (const Inspection& in : inspections) {
        st.reset();
        st.bind(1, ++seq)
            .bind(2, in.id)
            .bind(3, in.draw)
            .bind(4, in.subject)
            .bind(5, in.at.seconds)
            .bind(6, Json(in.inspectors).dump())
            .bind(7, findings_json(in.findings))
            .bind(8, in.note);
        st.run();
    }
    st.reset();
}

void OversightStore::append_promises(std::size_t stored, const std::vector<Promise>& promises) {
    Statement& st = statements().insert_promise;
    std::int64_t seq = static_cast<std::int64_t>(stored);
    for (const Promise& p : promises) {
        st.reset();
        st.bind(1, ++seq)
            .bind(2, p.id)
            .bind(3, p.case_number)
            .bind(4, p.what)
            .bind(5, p.by.to_string())
            .bind(6, p.at.seconds)
            .bind(7, p.team)
            .bind(8, p.place)
            .bind(9, p.note);
        st.run();
    }
    st.reset();
}

void OversightStore::append_ratings(std::size_t stored, const std::vector<PromiseRating>& ratings) {
    Statement& st = statements().insert_rating;
    std::int64_t seq = static_cast<std::int64_t>(stored);
    for (const PromiseRating& r : ratings) {
        st.reset();
        st.bind(1, ++seq)
            .bind(2, r.promise)
            .bind(3, std::string(promise_rater_name(r.by)))
            .bind(4, r.score)
            .bind(5, r.at.seconds)
            .bind(6, r.note);
        st.run();
    }
    st.reset();
}

void OversightStore::append_hazard_entries(std::size_t stored,
                                           const std::vector<HazardEntry>& entries) {
    Statement& st = statements().insert_hazard;
    std::int64_t seq = static_cast<std::int64_t>(stored);
    for (const HazardEntry& e : entries) {
        st.reset();
        st.bind(1, ++seq)
            .bind(2, e.id)
            .bind(3, e.case_number)
            .bind(4, e.at.seconds)
            .bind(5, e.person)
            .bind(6, e.record)
            .bind(7, e.found_by)
            .bind(8, std::string(e.grade ? hazard_grade_name(*e.grade) : ""))
            .bind(9, e.deadline ? e.deadline->to_string() : std::string());
        if (e.progress)
            st.bind(10, static_cast<std::int64_t>(*e.progress));
        else
            st.bind_null(10);
        st.bind(11, Json(e.evidence).dump()).bind(12, e.note);
        st.run();
    }
    st.reset();
}

OversightStore::Loaded OversightStore::load() {
    Loaded out;
    OversightStatements& sql = statements();
    const auto bad_row = [&](Statement& st, const char* table, const std::string& id,
                             const char* what) {
        st.reset();
        throw Error(ErrorCode::storage, db_.label() + " table " + table + ": " + id + ": " + what +
                                            " does not read back");
    };
    Statement& in = sql.inspections;
    in.reset();
    while (in.step()) {
        Inspection i;
        i.id = in.text(0);
        i.draw = in.text(1);
        i.subject = in.text(2);
        i.at = Instant{in.int64(3)};
        try {
            i.inspectors = Json::parse(in.text(4)).get<std::vector<std::string>>();
            i.findings = findings_of(in.text(5));
        } catch (const std::exception&) {
            bad_row(in, "oversight_inspections", i.id, "its inspectors or findings");
        }
        i.note = in.text(6);
        out.inspections.push_back(std::move(i));
    }
    in.reset();
    Statement& pr = sql.promises;
    pr.reset();
    while (pr.step()) {
        Promise p;
        p.id = pr.text(0);
        p.case_number = pr.text(1);
        p.what = pr.text(2);
        try {
            p.by = Date::parse(pr.text(3));
        } catch (const Error&) {
            bad_row(pr, "oversight_promises", p.id, "its promised day");
        }
        p.at = Instant{pr.int64(4)};
        p.team = pr.text(5);
        p.place = pr.text(6);
        p.note = pr.text(7);
        out.promises.push_back(std::move(p));
    }
    pr.reset();
    Statement& ra = sql.ratings;
    ra.reset();
    while (ra.step()) {
        PromiseRating r;
        r.promise = ra.text(0);
        try {
            r.by = parse_promise_rater(ra.text(1));
        } catch (const Error&) {
            bad_row(ra, "oversight_ratings", r.promise, "its rater");
        }
        r.score = ra.real(2);
        r.at = Instant{ra.int64(3)};
        r.note = ra.text(4);
        out.ratings.push_back(std::move(r));
    }
    ra.reset();
    Statement& hz = sql.hazards;
    hz.reset();
    while (hz.step()) {
        HazardEntry e;
        e.id = hz.text(0);
        e.case_number = hz.text(1);
        e.at = Instant{hz.int64(2)};
        e.person = hz.text(3);
        e.record = hz.text(4);
        e.found_by = hz.text(5);
        try {
            if (const std::string grade = hz.text(6); !grade.empty())
                e.grade = parse_hazard_grade(grade);
            if (const std::string day = hz.text(7); !day.empty())
                e.deadline = Date::parse(day);
            if (!hz.is_null(8))
                e.progress = static_cast<int>(hz.int64(8));
            e.evidence = Json::parse(hz.text(9)).get<std::vector<std::string>>();
        } catch (const std::exception&) {
            bad_row(hz, "oversight_hazards", e.id, "its grade, deadline or evidence");
        }
        e.note = hz.text(10);
        out.hazard_entries.push_back(std::move(e));
    }
    hz.reset();
    return out;
}

}  // namespace gridgov::detail
