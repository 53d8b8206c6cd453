#include "store/journal_store.hpp"

#include <algorithm>
#include <string>

namespace gridgov::detail {
namespace {

const char* module_name(JournalModule m) {
    switch (m) {
        case JournalModule::hierarchy:
            return "hierarchy";
        case JournalModule::directory:
            return "directory";
        case JournalModule::cases:
            return "cases";
        case JournalModule::case_config:
            return "case_config";
        case JournalModule::assessment:
            return "assessment";
        case JournalModule::records:
            return "records";
        case JournalModule::duties:
            return "duties";
        case JournalModule::oversight:
            return "oversight";
    }
    return "";
}

}  // namespace

std::int64_t JournalStore::append(JournalModule module, std::string_view change,
                                  std::optional<std::pair<EventSeq, EventSeq>> events) {
    if (!append_) {
        append_.emplace(
            db_.prepare("INSERT INTO journal (seq, module, change, first_event, last_event) "
                        "VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM journal), ?, ?, ?, ?) "
                        "RETURNING seq"));
    }
    Statement& st = *append_;
    st.reset();
    st.bind(1, module_name(module)).bind(2, change);
    if (events) {
        st.bind(3, static_cast<std::int64_t>(events->first));
        st.bind(4, static_cast<std::int64_t>(events->second));
    } else {
        st.bind_null(3).bind_null(4);
    }
    const std::int64_t seq = st.step() ? st.int64(0) : 0;
    st.reset();
    db_.notify_on_commit();
    return seq;
}

JournalSince JournalStore::since(std::int64_t seq) {
    if (!since_) {
        since_.emplace(
            db_.prepare("SELECT module, max(seq) FROM journal WHERE seq > ? GROUP BY module"));
    }
    Statement& st = *since_;
    st.reset();
    st.bind(1, seq);
    JournalSince out;
    out.head = seq;
    while (st.step()) {
        const std::string module = st.text(0);
        out.head = std::max(out.head, st.int64(1));
        if (module == "hierarchy")
            out.hierarchy = true;
        else if (module == "directory")
            out.directory = true;
        else if (module == "cases")
            out.cases = true;
        else if (module == "case_config")
            out.case_config = true;
        else if (module == "records")
            out.records = true;
        else if (module == "assessment")
            out.assessment = true;
        else if (module == "duties")
            out.duties = true;
        else if (module == "oversight")
            out.oversight = true;
        else {
            st.reset();
            throw Error(ErrorCode::storage, "workspace " + db_.path() +
                                                ": the journal names an unknown module " + module);
        }
    }
    st.reset();
    return out;
}

std::int64_t JournalStore::head() {
    Statement st = db_.prepare("SELECT coalesce(max(seq), 0) FROM journal");
    return st.step() ? st.int64(0) : 0;
}

}  // namespace gridgov::detail
