import React from "react";

/*@CONSTANTS@*/

function Extra() {
  return null;
}

const card = { background: "#fff", border: "1px solid #e2e8f0", borderRadius: 12, padding: "18px 20px", marginBottom: 16, boxShadow: "0 1px 2px rgba(15, 23, 42, 0.06)" };
const labelStyle = { display: "block", fontWeight: 600, fontSize: 14, color: "#1e293b", marginBottom: 6 };
const inputStyle = { width: "100%", boxSizing: "border-box", padding: "9px 11px", fontSize: 15, border: "1px solid #cbd5e1", borderRadius: 8, background: "#fff", color: "#0f172a", fontFamily: "inherit" };
const helpStyle = { fontSize: 13, color: "#64748b", marginTop: 5, lineHeight: 1.4 };
const errorStyle = { fontSize: 13, color: "#b91c1c", marginTop: 5, fontWeight: 500 };
const chip = { display: "inline-flex", alignItems: "center", gap: 6, padding: "6px 11px", borderRadius: 999, fontSize: 14, cursor: "pointer" };
const button = { background: ACCENT, color: "#fff", border: 0, borderRadius: 8, padding: "11px 22px", fontSize: 15, fontWeight: 600, cursor: "pointer" };
const WIDE = ["long_text", "multi_choice", "file"];
const INPUT_TYPES = { number: "number", integer: "number", date: "date", datetime: "datetime-local", email: "email", url: "url", phone: "tel" };

function Control({ field, value, setValue, invalid }) {
  const name = field.name;
  const set = (v) => setValue(name, v);
  const style = { ...inputStyle, border: "1px solid " + (invalid ? "#dc2626" : "#cbd5e1") };
  const text = value === undefined || value === null ? "" : String(value);
  const common = { id: name, name, required: !!field.required, "aria-invalid": invalid || undefined, "aria-describedby": field.help ? name + "-help" : undefined };
  const lengths = { minLength: field.min_length ?? undefined, maxLength: field.max_length ?? undefined };
  if (field.type === "long_text") {
    return <textarea {...common} {...lengths} rows={4} style={{ ...style, resize: "vertical" }} value={text} onChange={(e) => set(e.target.value)} />;
  }
  if (field.type === "choice") {
    const options = (field.options || []).map((o) => <option key={o} value={o}>{o}</option>);
    return <select {...common} style={style} value={text} onChange={(e) => set(e.target.value)}><option value="">Choose…</option>{options}</select>;
  }
  if (field.type === "multi_choice") {
    const chosen = Array.isArray(value) ? value : [];
    const toggle = (o) => set(chosen.includes(o) ? chosen.filter((c) => c !== o) : [...chosen, o]);
    return (
      <fieldset id={name} aria-labelledby={name + "-label"} aria-describedby={common["aria-describedby"]} style={{ border: 0, padding: 0, margin: 0, display: "flex", flexWrap: "wrap", gap: 8 }}>
        {(field.options || []).map((o) => {
          const on = chosen.includes(o);
          return (
            <label key={o} style={{ ...chip, border: "1px solid " + (on ? ACCENT : "#cbd5e1"), background: on ? ACCENT + "14" : "#fff", fontWeight: on ? 600 : 400 }}>
              <input type="checkbox" name={name} value={o} checked={on} onChange={() => toggle(o)} style={{ accentColor: ACCENT, margin: 0 }} />
              {o}
            </label>
          );
        })}
      </fieldset>
    );
  }
  if (field.type === "file") {
    const chosen = value && typeof value === "object" && value.name ? value.name : "";
    return (
      <div style={{ ...style, border: "1px dashed " + (invalid ? "#dc2626" : "#94a3b8"), padding: 12 }}>
        <input id={name} name={name} type="file" aria-describedby={common["aria-describedby"]} onChange={(e) => set(e.target.files && e.target.files[0] ? e.target.files[0] : null)} />
        {chosen ? <div style={helpStyle}>Selected: <strong>{chosen}</strong></div> : null}
        {field.max_size_mb ? <div style={helpStyle}>Up to {field.max_size_mb} MB.</div> : null}
      </div>
    );
  }
  const numeric = field.type === "number" || field.type === "integer";
  return (
    <input {...common} {...(numeric ? {} : lengths)} type={INPUT_TYPES[field.type] || "text"} style={style} value={text}
      step={field.type === "integer" ? 1 : numeric ? "any" : undefined}
      min={numeric && field.min != null ? field.min : undefined} max={numeric && field.max != null ? field.max : undefined}
      inputMode={field.type === "integer" ? "numeric" : field.type === "number" ? "decimal" : undefined}
      onChange={(e) => set(e.target.value)} />
  );
}

function Field({ field, values, errors, setValue }) {
  const value = values[field.name];
  const messages = errors[field.name] || [];
  const invalid = messages.length > 0;
  const mark = field.required ? <span aria-hidden="true" title="Required" style={{ color: ACCENT, marginLeft: 3 }}>*</span> : null;
  return (
    <div style={{ gridColumn: WIDE.includes(field.type) ? "1 / -1" : "auto", minWidth: 0 }}>
      {field.type === "boolean" ? (
        <div style={{ display: "flex", alignItems: "center", gap: 10, padding: "10px 12px", border: "1px solid " + (invalid ? "#dc2626" : "#e2e8f0"), borderRadius: 8, background: "#f8fafc" }}>
          <input id={field.name} name={field.name} type="checkbox" checked={value === true || value === "true"} aria-describedby={field.help ? field.name + "-help" : undefined}
            onChange={(e) => setValue(field.name, e.target.checked)} style={{ width: 18, height: 18, margin: 0, accentColor: ACCENT }} />
          <label htmlFor={field.name} id={field.name + "-label"} style={{ ...labelStyle, marginBottom: 0, cursor: "pointer" }}>{field.label}{mark}</label>
        </div>
      ) : (
        <>
          <label htmlFor={field.name} id={field.name + "-label"} style={labelStyle}>{field.label}{mark}</label>
          <Control field={field} value={value} setValue={setValue} invalid={invalid} />
        </>
      )}
      {field.help ? <div id={field.name + "-help"} style={helpStyle}>{field.help}</div> : null}
      {messages.map((m, i) => <div key={i} style={errorStyle}>⚠ {m}</div>)}
      <Extra name={field.name} values={values} setValue={setValue} />
    </div>
  );
}

export default function RequestForm({ fields = [], values = {}, errors = {}, setValue = () => {}, submit, mode }) {
  const byName = {};
  fields.forEach((f) => { byName[f.name] = f; });
  const used = new Set();
  const groups = [];
  SECTIONS.forEach((section) => {
    const items = section.names.filter((n) => byName[n] && !used.has(n)).map((n) => byName[n]);
    items.forEach((f) => used.add(f.name));
    if (items.length) groups.push({ ...section, items });
  });
  const rest = fields.filter((f) => !used.has(f.name));
  if (rest.length) groups.push({ title: groups.length ? "More details" : "Details", items: rest });
  const problems = Object.keys(errors).filter((k) => (errors[k] || []).length);
  const general = problems.filter((k) => !byName[k]).flatMap((k) => errors[k]);
  return (
    <div style={{ maxWidth: 760, margin: "0 auto", padding: "8px 4px", color: "#0f172a" }}>
      <div style={{ ...card, borderTop: "4px solid " + ACCENT }}>
        <div style={{ fontSize: 12, fontWeight: 700, letterSpacing: 0.6, textTransform: "uppercase", color: ACCENT }}>{KICKER}</div>
        <h2 style={{ margin: "4px 0 6px", fontSize: 22 }}>{TITLE}</h2>
        <p style={{ margin: 0, color: "#475569", lineHeight: 1.5 }}>{INTRO}</p>
        <p style={{ margin: "8px 0 0", fontSize: 13, color: "#64748b" }}>Fields marked <span style={{ color: ACCENT }}>*</span> are required.{mode === "preview" ? " (Preview with sample values.)" : ""}</p>
      </div>
      {problems.length ? (
        <div style={{ ...card, background: "#fef2f2", border: "1px solid #fecaca", color: "#991b1b" }}>
          <strong>Please check {problems.length === 1 ? "one field" : problems.length + " fields"}.</strong>
          {general.map((m, i) => <div key={i} style={{ marginTop: 4 }}>{m}</div>)}
        </div>
      ) : null}
      {groups.map((group) => (
        <section key={group.title} style={card}>
          <h3 style={{ margin: "0 0 4px", fontSize: 16, color: "#1e293b" }}>{group.title}</h3>
          {group.note ? <p style={{ margin: "0 0 12px", fontSize: 13, color: "#64748b" }}>{group.note}</p> : null}
          <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))", gap: "16px 18px", marginTop: 12 }}>
            {group.items.map((field) => <Field key={field.name} field={field} values={values} errors={errors} setValue={setValue} />)}
          </div>
        </section>
      ))}
      {typeof submit === "function" ? (
        <div style={{ textAlign: "right" }}><button type="button" onClick={() => submit()} style={button}>{SUBMIT_LABEL}</button></div>
      ) : null}
    </div>
  );
}
