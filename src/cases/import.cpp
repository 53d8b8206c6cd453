// Historical import: many past cases with their whole histories, one transaction per
// batch of cases, each history checked by the same guards as live commands.
#include "cases/engine_impl.hpp"

namespace gridgov {

HistoryImportReport CaseEngine::import_history(const std::vector<CaseHistory>& histories,
                                               const HistoryImportOptions& options) {
    Impl& w = *impl_;
    const Impl::Change change(w, "import case histories");
    w.require_no_batch("import_history");
    if (options.batch_size == 0)
        throw Error(ErrorCode::invalid_argument, "import_history: batch_size must be at least 1");

    // Trusted mode lasts for this call only, whatever happens in it.
    struct TrustScope {
        bool& flag;
        TrustScope(bool& f, bool on) : flag(f) { flag = on; }
        ~TrustScope() { flag = false; }
    } trust(w.trusted_import, options.trusted);

    HistoryImportReport report;
    for (std::size_t start = 0; start < histories.size(); start += options.batch_size) {
        const std::size_t end = std::min(histories.size(), start + options.batch_size);
        // Each batch is one write transaction (the first was opened above).
        w.open_write("import case histories");
        const detail::Mark batch = w.mark();
        std::size_t imported = 0;
        try {
            for (std::size_t i = start; i < end; ++i) {
                const CaseHistory& h = histories[i];
                const detail::Mark one = w.mark();
                std::size_t step = 0;
                bool created = false;
                try {
                    const CaseId id = w.create(h.report, nullptr);
                    created = true;
                    for (step = 0; step < h.commands.size(); ++step)
                        w.fire_command(id, h.commands[step]);
                    ++imported;
                } catch (const Error& e) {
                    w.rollback(one);
                    const std::string where = h.report.number.empty()
                                                  ? "history[" + std::to_string(i) + "]"
                                                  : h.report.number;
                    const std::string what = !created
                                                 ? std::string("report")
                                                 : "command " + std::to_string(step + 1) + " (" +
                                                       command_name(h.commands[step].command) + ")";
                    report.findings.push_back(
                        {"cases.import_refused", Severity::error, where,
                         "history[" + std::to_string(i) + "] " + what + " refused: " + e.what()});
                }
            }
            w.commit(batch);
        } catch (...) {
            w.rollback(batch);
            w.abandon_write();
            w.notified_sequence = w.committed_sequence;
            w.settle();
            throw;
        }
        report.cases_imported += imported;
        report.events_written += static_cast<std::size_t>(w.last_sequence - batch.last_sequence);
        ++report.batches_committed;
        // Observers follow live work; a history is not news.
        w.notified_sequence = w.committed_sequence;
        w.settle();
        if (options.progress && !options.progress(end, histories.size())) {
            report.stopped = end < histories.size();
            break;
        }
    }
    return report;
}

}  // namespace gridgov
