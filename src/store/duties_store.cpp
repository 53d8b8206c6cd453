// Persistence of the duties (tables duty_* in migration 13): the catalogue as its JSON
// document, one row per fulfilment with its evidence as a JSON array.
#include "store/duties_store.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace gridgov::detail {

struct DutiesStatements {
    explicit DutiesStatements(Db& db)
        : catalogue(db.prepare("SELECT document FROM duty_catalogue WHERE id = 1")),
          write_catalogue(db.prepare(
              "INSERT INTO duty_catalogue (id, document) VALUES (1, ?1) ON CONFLICT (id) DO "
              "UPDATE SET document = excluded.document")),
          fulfilments(db.prepare("SELECT id, duty, place, person, at, occurrence, evidence, note "
                                 "FROM duty_fulfilments ORDER BY seq")),
          insert_fulfilment(db.prepare(
              "INSERT INTO duty_fulfilments (seq, id, duty, place, person, at, occurrence, "
              "evidence, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")) {}

    Statement catalogue;
    Statement write_catalogue;
    Statement fulfilments;
    Statement insert_fulfilment;
};

DutiesStore::DutiesStore(Db& db) : db_(db) {}
DutiesStore::~DutiesStore() = default;

DutiesStatements& DutiesStore::statements() {
    if (!sql_)
        sql_ = std::make_unique<DutiesStatements>(db_);
    return *sql_;
}

void DutiesStore::write_catalogue(const DutyCatalogue& catalogue) {
    Statement& st = statements().write_catalogue;
    st.reset();
    st.bind(1, catalogue.to_json());
    st.run();
    st.reset();
}

void DutiesStore::append_fulfilments(std::size_t stored,
                                     const std::vector<DutyFulfilment>& fulfilments) {
    Statement& st = statements().insert_fulfilment;
    std::int64_t seq = static_cast<std::int64_t>(stored);
    for (const DutyFulfilment& f : fulfilments) {
        st.reset();
        st.bind(1, ++seq)
            .bind(2, f.id)
            .bind(3, f.duty)
            .bind(4, f.place)
            .bind(5, f.person)
            .bind(6, f.at.seconds)
            .bind(7, f.occurrence)
            .bind(8, nlohmann::json(f.evidence).dump())
            .bind(9, f.note);
        st.run();
    }
    st.reset();
}

DutiesStore::Loaded DutiesStore::load() {
    Loaded out;
    DutiesStatements& sql = statements();
    sql.catalogue.reset();
    if (sql.catalogue.step()) {
        const std::string document = sql.catalogue.text(0);
        sql.catalogue.reset();
        try {
            out.catalogue =
                DutyCatalogue::from_json(document, db_.label() + " table duty_catalogue");
        } catch (const Error& e) {
            throw Error(ErrorCode::storage, e.what());
        }
    }
    sql.catalogue.reset();
    Statement& st = sql.fulfilments;
    st.reset();
    while (st.step()) {
        DutyFulfilment f;
        f.id = st.text(0);
        f.duty = st.text(1);
        f.place = st.text(2);
        f.person = st.text(3);
        f.at = Instant{st.int64(4)};
        f.occurrence = st.text(5);
        try {
            f.evidence = nlohmann::json::parse(st.text(6)).get<std::vector<std::string>>();
        } catch (const std::exception&) {
            const std::string id = f.id;
            st.reset();
            throw Error(ErrorCode::storage, db_.label() + " table duty_fulfilments: fulfilment " +
                                                id + ": its evidence is not a JSON array of text");
        }
        f.note = st.text(7);
        out.fulfilments.push_back(std::move(f));
    }
    st.reset();
    return out;
}

}  // namespace gridgov::detail
