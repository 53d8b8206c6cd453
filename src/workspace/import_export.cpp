// Importing hierarchy files into a workspace and exporting them (docs/formats.md).
//
// An import parses the whole file into specs, checks them against the workspace, builds
// the new model on a copy, and only then writes everything in one transaction: a file
// with any refused row changes nothing.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/text.hpp"
#include "io/files.hpp"
#include "workspace/hierarchy_file.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {
namespace {

using detail::FileLocation;
using detail::ParsedHierarchyFile;
using detail::ParsedOverlay;

/// Thrown out of the write when the progress callback asks to stop; it rolls the
/// transaction back and never leaves the import.
struct Cancelled {};

constexpr std::size_t progress_step = 1000;

FileFormat resolve_format(FileFormat format, const std::string& name) {
    if (format != FileFormat::automatic)
        return format;
    std::string ext = std::filesystem::path(name).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".json")
        return FileFormat::json;
    if (ext == ".csv")
        return FileFormat::csv;
    if (ext == ".geojson")
        return FileFormat::geojson;
    throw Error(ErrorCode::invalid_argument,
                "cannot tell the format of " + name +
                    " from its extension (.json, .csv or .geojson): name the format");
}

std::string level_keys(const LevelScheme& levels) {
    std::string keys;
    for (const Level& l : levels.levels())
        keys += (keys.empty() ? "" : ", ") + l.key;
    return keys;
}

bool same_levels(const LevelScheme& a, const LevelScheme& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].key != b[i].key || a[i].name_zh != b[i].name_zh || a[i].name_en != b[i].name_en ||
            a[i].code_digits != b[i].code_digits) {
            return false;
        }
    }
    return true;
}

ErrorCode error_code_of(std::string_view rule) {
    if (rule == "hierarchy.duplicate_code")
        return ErrorCode::already_exists;
    if (rule == "hierarchy.orphan")
        return ErrorCode::not_found;
    return ErrorCode::invalid_argument;
}

// check_specs() prefixes its messages with "spec N: "; the import names the row instead.
std::string without_spec_prefix(const std::string& message) {
    if (message.rfind("spec ", 0) == 0) {
        if (const auto colon = message.find(": "); colon != std::string::npos) {
            return message.substr(colon + 2);
        }
    }
    return message;
}

/// Refuses the first error-level finding of Hierarchy::check_specs, naming its row.
/// `rows[i]` is the row of `specs[i]`; codes are unique by the time this runs.
void refuse_structure(const Hierarchy& base, const std::vector<NodeSpec>& specs,
                      const std::vector<std::string>& rows, const FileLocation& loc) {
    const std::vector<Finding> findings = base.check_specs(specs);
    const auto error = std::find_if(findings.begin(), findings.end(),
                                    [](const Finding& f) { return f.severity == Severity::error; });
    if (error == findings.end())
        return;
    std::string row;
    for (std::size_t i = 0; i < specs.size() && row.empty(); ++i) {
        if (specs[i].code == error->where)
            row = rows[i];
    }
    throw Error(error_code_of(error->rule),
                loc.at(row) + ": " + without_spec_prefix(error->message));
}

/// Refuses a code that repeats within the file, or that a node of the workspace ever had.
template <class CodeOf>
void refuse_taken_codes(std::size_t count, CodeOf&& code_of, const std::vector<std::string>& rows,
                        const Hierarchy& existing, const FileLocation& loc, const char* what) {
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& code = code_of(i);
        if (const auto [it, fresh] = first.emplace(code, i); !fresh) {
            throw Error(ErrorCode::already_exists, loc.at(rows[i], "code") + ": " + what + " '" +
                                                       code + "' appears twice (first at " +
                                                       rows[it->second] + ")");
        }
    }
    for (std::size_t id = 0; id < existing.id_count(); ++id) {
        const std::string& code = existing.code(static_cast<NodeId>(id));
        if (const auto it = first.find(code); it != first.end()) {
            const bool live = existing.is_live(static_cast<NodeId>(id));
            throw Error(ErrorCode::already_exists,
                        loc.at(rows[it->second], "code") + ": " + what + " '" + code +
                            (live ? "' already exists in the workspace"
                                  : "' belonged to a node retired on " +
                                        existing.retired_on(static_cast<NodeId>(id)).to_string() +
                                        "; codes are never reused"));
        }
    }
}

void refuse_unknown_levels(const LevelScheme& levels, const std::string& level,
                           const FileLocation& loc, const std::string& row) {
    if (levels.index_of(level) < 0) {
        throw Error(ErrorCode::invalid_argument,
                    loc.at(row, "level") + ": unknown level '" + level +
                        "' (the level scheme has: " + level_keys(levels) + ")");
    }
}

/// Builds one overlay of the file on top of the new base hierarchy.
Overlay build_overlay(const ParsedOverlay& o, const Hierarchy& base, const FileLocation& loc) {
    for (std::size_t i = 0; i < o.units.size(); ++i) {
        refuse_unknown_levels(o.levels, o.units[i].level, loc, o.unit_rows[i]);
        for (std::size_t g = 0; g < o.units[i].grid_codes.size(); ++g) {
            const std::string& code = o.units[i].grid_codes[g];
            if (!base.find(code)) {
                throw Error(ErrorCode::not_found,
                            loc.at(o.unit_rows[i], "grids[" + std::to_string(g) + "]") +
                                ": no live node has code '" + code + "'");
            }
        }
    }
    const Hierarchy no_units(o.levels);
    refuse_taken_codes(
        o.units.size(), [&](std::size_t i) -> const std::string& { return o.units[i].code; },
        o.unit_rows, no_units, loc, "unit");
    std::vector<NodeSpec> unit_nodes;
    unit_nodes.reserve(o.units.size());
    for (const OverlayUnitSpec& u : o.units) {
        NodeSpec n;
        n.code = u.code;
        n.parent_code = u.parent_code;
        n.name = u.name;
        n.level = u.level;
        unit_nodes.push_back(std::move(n));
    }
    refuse_structure(no_units, unit_nodes, o.unit_rows, loc);

    Overlay overlay(o.key, o.name, o.levels);
    try {
        overlay.add_units(o.units, base);
    } catch (const Error& e) {
        throw Error(e.code(), loc.at(o.row) + ": " + e.what());
    }
    return overlay;
}

/// Refuses text that is not one line of UTF-8 (detail::check_text), naming the row and
/// the field: codes, names, levels and keys are one-line fields.
void refuse_bad_text(const ParsedHierarchyFile& p) {
    const FileLocation& loc = p.location;
    const auto check = [&](const std::string& text, const std::string& row, const char* field) {
        if (const auto problem = detail::text_problem(text, detail::TextKind::line))
            throw Error(ErrorCode::invalid_argument, loc.at(row, field) + ": " + *problem);
    };
    const char* parent = loc.csv ? "parent_code" : "parent";
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        const NodeSpec& n = p.nodes[i];
        const std::string& row = p.node_rows[i];
        check(n.code, row, "code");
        check(n.parent_code, row, parent);
        check(n.level, row, "level");
        check(n.name, row, "name");
        check(n.area_class, row, "area_class");
        for (const auto& attribute : n.attributes)
            check(attribute.first, row, "attributes");
    }
    for (const ParsedOverlay& o : p.overlays) {
        check(o.key, o.row, "key");
        check(o.name, o.row, "name");
        for (std::size_t i = 0; i < o.units.size(); ++i) {
            const OverlayUnitSpec& u = o.units[i];
            check(u.code, o.unit_rows[i], "code");
            check(u.parent_code, o.unit_rows[i], "parent");
            check(u.name, o.unit_rows[i], "name");
            check(u.level, o.unit_rows[i], "level");
            for (const std::string& g : u.grid_codes)
                check(g, o.unit_rows[i], "grids");
        }
    }
}

/// The import itself; nullopt when the progress callback cancelled it.
std::optional<ImportReport> import_parsed(Workspace::Impl& w, const ParsedHierarchyFile& p,
                                          Date effective, const ProgressFn& progress) {
    const FileLocation& loc = p.location;
    refuse_bad_text(p);
    Workspace::Impl::Write tx(w, "import " + loc.source);
    const Hierarchy& current = w.hierarchy;

    // A workspace keeps one level scheme once it has nodes; an empty one adopts the file's.
    // A file without nodes (overlays only) has no use for its levels.
    const bool adopt = current.id_count() == 0;
    LevelScheme levels = current.levels();
    if (p.levels && !p.nodes.empty() && !same_levels(*p.levels, levels)) {
        if (!adopt) {
            throw Error(ErrorCode::invalid_argument,
                        loc.at("", "levels") + ": the file's levels (" + level_keys(*p.levels) +
                            ") differ from the workspace's level scheme (" + level_keys(levels) +
                            "); a workspace keeps its level scheme once it has nodes");
        }
        levels = *p.levels;
    }
    const bool levels_change = !same_levels(levels, current.levels());

    // ---- nodes ----
    refuse_taken_codes(
        p.nodes.size(), [&](std::size_t i) -> const std::string& { return p.nodes[i].code; },
        p.node_rows, current, loc, "code");
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        refuse_unknown_levels(levels, p.nodes[i].level, loc, p.node_rows[i]);
    }
    Hierarchy next = levels_change ? Hierarchy(levels) : current;
    refuse_structure(next, p.nodes, p.node_rows, loc);
    try {
        next.add_all(p.nodes, effective);
    } catch (const Error& e) {
        throw Error(e.code(), loc.at("") + ": " + e.what());
    }

    // ---- overlays ----
    std::vector<Overlay> added;
    std::unordered_set<std::string_view> keys;
    std::size_t unit_count = 0;
    for (const ParsedOverlay& o : p.overlays) {
        if (w.find_overlay(o.key) >= 0 || !keys.insert(o.key).second) {
            throw Error(ErrorCode::already_exists,
                        loc.at(o.row, "key") + ": overlay '" + o.key + "' " +
                            (w.find_overlay(o.key) >= 0 ? "already exists in the workspace"
                                                        : "appears twice in the file"));
        }
        added.push_back(build_overlay(o, next, loc));
        unit_count += o.units.size();
    }

    // ---- write ----
    const std::size_t total = p.nodes.size() + unit_count;
    std::size_t done = 0;
    const auto ask = [&] {
        if (progress && !progress(done, total))
            throw Cancelled{};
    };
    const std::function<void()> tick = [&] {
        if (++done % progress_step == 0)
            ask();
    };
    w.overlays.reserve(w.overlays.size() + added.size());
    try {
        ask();
        if (levels_change)
            w.hierarchy_store.write_level_scheme(levels);
        w.hierarchy_store.write_rows(next, current.history().size(), tick);
        for (std::size_t k = 0; k < added.size(); ++k) {
            w.hierarchy_store.write_overlay(added[k], w.overlays.size() + k);
            w.hierarchy_store.write_overlay_units(added[k], 0, tick);
        }
        done = total;
        ask();
        tx.commit(detail::JournalModule::hierarchy);
    } catch (const Cancelled&) {
        return std::nullopt;
    }

    w.hierarchy = std::move(next);
    for (Overlay& o : added)
        w.overlays.push_back(std::move(o));

    ImportReport report;
    report.nodes_added = p.nodes.size();
    report.overlays_added = added.size();
    report.overlay_units_added = unit_count;
    return report;
}

}  // namespace

ImportReport WorkspaceHierarchy::import_file(const std::string& file, FileFormat format,
                                             Date effective, const ProgressFn& progress) {
    impl_->require_writable("import " + file);
    format = resolve_format(format, file);
    return import_text(detail::read_file(file), format, file, effective, progress);
}

ImportReport WorkspaceHierarchy::import_text(const std::string& text, FileFormat format,
                                             const std::string& source_name, Date effective,
                                             const ProgressFn& progress) {
    impl_->require_writable("import " + source_name);
    format = resolve_format(format, source_name);
    ParsedHierarchyFile parsed;
    switch (format) {
        case FileFormat::json:
            parsed = detail::parse_hierarchy_json(text, source_name);
            break;
        case FileFormat::csv:
            parsed = detail::parse_hierarchy_csv(text, source_name);
            break;
        case FileFormat::geojson:
            parsed = detail::parse_hierarchy_geojson(text, source_name);
            break;
        default:
            throw Error(ErrorCode::invalid_argument,
                        "file " + source_name + ": no format: name json, csv or geojson");
    }
    std::optional<ImportReport> report = import_parsed(*impl_, parsed, effective, progress);
    if (!report)
        return ImportReport{};
    report->findings = validate();
    return std::move(*report);
}

std::string WorkspaceHierarchy::export_text(FileFormat format) const {
    switch (format) {
        case FileFormat::json:
            return detail::hierarchy_to_json(impl_->hierarchy, impl_->overlays);
        case FileFormat::csv:
            return detail::hierarchy_to_csv(impl_->hierarchy);
        case FileFormat::geojson:
            return detail::hierarchy_to_geojson(impl_->hierarchy);
        default:
            throw Error(ErrorCode::invalid_argument,
                        "export a hierarchy: name a format: json, csv or geojson");
    }
}

void WorkspaceHierarchy::export_file(const std::string& file, FileFormat format) const {
    detail::write_file_atomically(file, export_text(resolve_format(format, file)));
}

}  // namespace gridgov
