package org.kinora.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns as wide as their widest cell, for pasting into the README. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(String... cells) {
        if (cells.length != header.size()) throw new IllegalArgumentException("expected " + header.size() + " cells");
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        int[] width = new int[header.size()];
        for (List<String> r : allRows()) {
            for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) rule.append("-".repeat(w + 2)).append('|');
        out.append(rule).append('\n');
        for (List<String> r : rows) line(out, r, width);
        return out.toString();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>(rows);
        all.add(header);
        return all;
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        out.append('|');
        for (int i = 0; i < cells.size(); i++) {
            out.append(' ').append(String.format("%-" + width[i] + "s", cells.get(i))).append(" |");
        }
        out.append('\n');
    }
}
