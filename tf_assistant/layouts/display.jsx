import React from "react";

/*@CONSTANTS@*/

const card = { background: "#fff", border: "1px solid #e2e8f0", borderRadius: 12, padding: "16px 20px", marginBottom: 14, boxShadow: "0 1px 2px rgba(15, 23, 42, 0.06)" };
const WIDE = ["long_text", "multi_choice", "file"];

function isEmpty(v) {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

function bytes(n) {
  const size = Number(n);
  if (!isFinite(size)) return "";
  if (size < 1024) return size + " B";
  if (size < 1024 * 1024) return (size / 1024).toFixed(1) + " KB";
  return (size / (1024 * 1024)).toFixed(1) + " MB";
}

function when(v, withTime) {
  const d = withTime ? new Date(v) : new Date(String(v).slice(0, 10) + "T00:00:00");
  if (isNaN(d.getTime())) return String(v);
  const opts = { day: "numeric", month: "short", year: "numeric" };
  return withTime ? d.toLocaleString(undefined, { ...opts, hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString(undefined, opts);
}

function Value({ field, value }) {
  if (isEmpty(value)) return <span style={{ color: "#94a3b8" }}>—</span>;
  switch (field.type) {
    case "boolean": {
      const yes = value === true || value === "true";
      return <span style={{ fontWeight: 600, color: yes ? "#15803d" : "#b45309" }}>{yes ? "✓ Yes" : "✗ No"}</span>;
    }
    case "multi_choice":
      return <span>{(Array.isArray(value) ? value : [value]).join(", ")}</span>;
    case "choice":
      return <span style={{ display: "inline-block", padding: "2px 10px", borderRadius: 999, background: ACCENT + "18", color: ACCENT, fontWeight: 600, fontSize: 14 }}>{String(value)}</span>;
    case "file":
      if (typeof value === "object") {
        return <span>📎 {value.name || "file"}{value.size != null ? <span style={{ color: "#64748b" }}> ({bytes(value.size)})</span> : null}</span>;
      }
      return <span>📎 {String(value)}</span>;
    case "date":
      return <span>{when(value, false)}</span>;
    case "datetime":
      return <span>{when(value, true)}</span>;
    case "number":
    case "integer": {
      const n = Number(value);
      if (!isFinite(n)) return <span>{String(value)}</span>;
      if (MONEY.includes(field.name)) return <span style={{ fontWeight: 600 }}>{n.toLocaleString(undefined, { style: "currency", currency: CURRENCY })}</span>;
      return <span>{n.toLocaleString()}</span>;
    }
    case "long_text":
      return <div style={{ whiteSpace: "pre-wrap", lineHeight: 1.5 }}>{String(value)}</div>;
    case "url":
    case "email":
      return <span style={{ wordBreak: "break-all", color: ACCENT }}>{String(value)}</span>;
    default:
      return <span style={{ wordBreak: "break-word" }}>{String(value)}</span>;
  }
}

function Steps({ values }) {
  if (!STEPS.length) return null;
  const done = STEPS.map((s) => s.outputs.length > 0 && s.outputs.every((n) => !isEmpty(values[n])));
  const current = done.indexOf(false);
  return (
    <ol style={{ listStyle: "none", display: "flex", flexWrap: "wrap", gap: 8, padding: 0, margin: "14px 0 0" }}>
      {STEPS.map((s, i) => {
        const state = done[i] ? "done" : i === current ? "current" : "todo";
        const colour = state === "todo" ? "#94a3b8" : ACCENT;
        return (
          <li key={s.name} style={{ display: "flex", alignItems: "center", gap: 6, padding: "5px 12px", borderRadius: 999, fontSize: 13, fontWeight: 600, border: "1px solid " + colour, color: state === "done" ? "#fff" : colour, background: state === "done" ? ACCENT : state === "current" ? ACCENT + "12" : "#fff" }}>
            <span>{state === "done" ? "✓" : i + 1}</span> {s.name}
          </li>
        );
      })}
    </ol>
  );
}

export default function Summary({ fields = [], values = {}, mode, ticket }) {
  const byName = {};
  fields.forEach((f) => { if (!byName[f.name]) byName[f.name] = f; });
  const used = new Set();
  const groups = [];
  SECTIONS.forEach((section) => {
    const items = section.names.filter((n) => byName[n] && !used.has(n)).map((n) => byName[n]);
    items.forEach((f) => used.add(f.name));
    if (items.length) groups.push({ ...section, items });
  });
  const rest = Object.values(byName).filter((f) => !used.has(f.name));
  if (rest.length) groups.push({ title: groups.length ? "Other details" : "Details", items: rest });
  const reference = ticket && (ticket.reference || ticket.number || ticket.title);
  return (
    <div style={{ maxWidth: 820, margin: "0 auto", padding: "6px 4px", color: "#0f172a" }}>
      <div style={{ ...card, borderLeft: "5px solid " + ACCENT }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 12, flexWrap: "wrap", alignItems: "baseline" }}>
          <div style={{ fontSize: 12, fontWeight: 700, letterSpacing: 0.6, textTransform: "uppercase", color: ACCENT }}>{KICKER}</div>
          {mode === "preview" ? <span style={{ fontSize: 12, color: "#64748b" }}>Preview · sample values</span> : null}
        </div>
        <h2 style={{ margin: "4px 0 2px", fontSize: 20 }}>{TITLE}{reference != null && typeof reference !== "object" ? <span style={{ color: "#64748b", fontWeight: 400 }}> · {String(reference)}</span> : null}</h2>
        {SUBTITLE ? <p style={{ margin: 0, color: "#475569", fontSize: 14 }}>{SUBTITLE}</p> : null}
        <Steps values={values} />
      </div>
      {groups.map((group) => (
        <section key={group.title} style={card}>
          <h3 style={{ margin: "0 0 12px", fontSize: 13, textTransform: "uppercase", letterSpacing: 0.5, color: "#64748b" }}>{group.title}</h3>
          <dl style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))", gap: "14px 20px", margin: 0 }}>
            {group.items.map((field) => (
              <div key={field.name} style={{ gridColumn: WIDE.includes(field.type) ? "1 / -1" : "auto", minWidth: 0 }}>
                <dt style={{ fontSize: 13, color: "#64748b", marginBottom: 3 }}>{field.label}</dt>
                <dd style={{ margin: 0, fontSize: 15 }}><Value field={field} value={values[field.name]} /></dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
