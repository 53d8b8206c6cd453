// Persistence of the case engine in the workspace file (src/store/case_store.cpp).
#ifndef GRIDGOV_SRC_STORE_CASE_STORE_HPP
#define GRIDGOV_SRC_STORE_CASE_STORE_HPP

#include <optional>
#include <vector>

#include "cases/engine_impl.hpp"
#include "cases/storage.hpp"

namespace gridgov::detail {

/// Writes, in one transaction, the cases changed and the events appended since `m`, and
/// with `with_config` the configuration (workflow versions from `stored_workflows` on).
/// Throws Error(storage) and writes nothing when any statement or the commit fails.
void write_case_changes(CaseStore& store, CaseEngine::Impl& e, const Mark& m, bool with_config,
                        std::size_t stored_workflows);

/// Reads the configuration, the cases and the head of the log into a fresh engine.
void read_cases(CaseStore& store, CaseEngine::Impl& e);

/// Brings an engine up to the stored state: the cases that have events after its
/// committed head are read again (new ones appended), and the head moves to the stored
/// one. With `configuration` the configuration and every case are read again.
void catch_up_cases(CaseStore& store, CaseEngine::Impl& e, bool configuration);

/// The committed events of one case, in order.
std::vector<CaseEvent> read_stored_events(CaseStore& store, const CaseEngine::Impl& e, CaseId id);
/// Committed events with sequence in [from, to).
std::vector<CaseEvent> read_stored_events_between(CaseStore& store, const CaseEngine::Impl& e,
                                                  EventSeq from, EventSeq to);

/// Feeds the stored events from sequence `from` on to `checker`, in sequence order.
void verify_stored_log(CaseStore& store, LogChecker& checker, EventSeq from = 1);

/// The stored hash of event `seq`; none when there is no such event or its hash column
/// does not hold 32 bytes.
std::optional<Hash> stored_event_hash(CaseStore& store, EventSeq seq);

/// Appends a checkpoint to log_checkpoints (inside the caller's write transaction).
void write_log_checkpoint(CaseStore& store, const LogCheckpoint& checkpoint);
/// The stored checkpoints, oldest first (with `last_only`, the last one alone). Throws
/// Error(storage) naming a damaged row.
std::vector<LogCheckpoint> read_log_checkpoints(CaseStore& store, bool last_only);

}  // namespace gridgov::detail

#endif
