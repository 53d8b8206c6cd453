// Helpers shared by the subcommands of the command-line tool: opening the workspace,
// tables, JSON, files, instants.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "gridgov/workspace.hpp"
#include "io/files.hpp"

namespace gridgov::cli {

void need_workspace(const Global& g) {
    if (g.workspace.empty())
        throw Error(ErrorCode::invalid_argument,
                    "no workspace: pass -w FILE or set GRIDGOV_WORKSPACE");
}

Workspace open_existing(const Global& g, bool write) {
    need_workspace(g);
    // A postgresql:// location is not a file: the library says when it holds no workspace.
    if (g.workspace.find("://") == std::string::npos && !std::filesystem::exists(g.workspace))
        throw Error(ErrorCode::not_found, "no workspace file " + g.workspace +
                                              " (create it with: gridgov -w " + g.workspace +
                                              " init)");
    OpenOptions options;
    options.create = false;
    options.read_only = !write;
    return Workspace::open(g.workspace, options);
}

int exit_code_for(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::invalid_argument:
        case ErrorCode::not_found:
        case ErrorCode::already_exists:
        case ErrorCode::parse_error:
        case ErrorCode::no_data:
            return exit_input;
        case ErrorCode::storage:
        case ErrorCode::version_mismatch:
            return exit_storage;
        case ErrorCode::invalid_state:
        case ErrorCode::permission_denied:
            return exit_refused;
        case ErrorCode::generic:
        case ErrorCode::buffer_too_small:
        case ErrorCode::internal:
            break;
    }
    return exit_internal;
}

std::size_t display_width(const std::string& text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = 1;
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        // Three- and four-byte sequences are CJK ideographs and punctuation here; the
        // two-byte ones (Latin, Greek, Cyrillic) take one column.
        width += len >= 3 ? 2 : 1;
        i += len;
    }
    return width;
}

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    };
    measure(header);
    for (const auto& row : rows)
        measure(row);
    const auto print = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
        }
        std::cout << line << '\n';
    };
    print(header);
    for (const auto& row : rows)
        print(row);
}

bool stderr_is_tty() {
    return ::isatty(STDERR_FILENO) == 1;
}

std::function<bool(std::size_t, std::size_t)> progress_for(const std::string& label) {
    if (!stderr_is_tty())
        return {};
    return [label](std::size_t done, std::size_t total) {
        std::cerr << '\r' << label << ' ' << done;
        if (total > 0)
            std::cerr << '/' << total;
        if (total > 0 && done >= total)
            std::cerr << '\n';
        std::cerr.flush();
        return true;
    };
}

void print_json(const nlohmann::ordered_json& j) {
    std::cout << j.dump(2) << '\n';
}

nlohmann::ordered_json finding_json(const Finding& f) {
    nlohmann::ordered_json j;
    j["rule"] = f.rule;
    j["severity"] = severity_name(f.severity);
    j["where"] = f.where;
    j["message"] = f.message;
    return j;
}

std::string document_format(const Global& g, const std::string& given, const std::string& output) {
    const bool to_file = !output.empty() && output != "-";
    std::string format = given;
    if (format.empty() && to_file) {
        format = std::filesystem::path(output).extension().string();
        if (!format.empty())
            format.erase(0, 1);
    }
    for (char& c : format)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (format.empty())
        format = g.json ? "json" : "table";
    if (format != "table" && format != "csv" && format != "json")
        throw Error(ErrorCode::invalid_argument, "--format " + format + ": table, csv or json");
    if (format == "table" && to_file)
        throw Error(ErrorCode::invalid_argument, "--format table goes to standard output");
    return format;
}

void write_output(const std::string& file, const std::string& text) {
    if (file.empty() || file == "-") {
        std::cout << text;
        if (!text.empty() && text.back() != '\n')
            std::cout << '\n';
        std::cout.flush();
        return;
    }
    if (!text.empty() && text.back() != '\n') {
        detail::write_file_atomically(file, text + '\n');
    } else {
        detail::write_file_atomically(file, text);
    }
}

Instant option_instant(const char* option, const std::string& text) {
    try {
        return Instant::parse(text);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(option) + ": " + e.what());
    }
}

Date option_date(const char* option, const std::string& text) {
    try {
        return Date::parse(text);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(option) + ": " + e.what());
    }
}

Instant instant_or_now(const std::string& text, const char* option) {
    if (!text.empty())
        return option_instant(option, text);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return Instant{std::chrono::duration_cast<std::chrono::seconds>(now).count()};
}

Date date_or_today(const std::string& text, const char* option) {
    if (!text.empty())
        return option_date(option, text);
    return instant_or_now("").local_date();
}

}  // namespace gridgov::cli
