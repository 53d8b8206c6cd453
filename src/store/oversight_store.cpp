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
                                   "at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")) {}

    Statement inspections;
    Statement insert_inspection;
    Statement promises;
    Statement insert_promise;
    Statement ratings;
    Statement insert_rating;
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
    return out;
}

}  // namespace gridgov::detail
