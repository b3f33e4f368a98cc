// A long-running esbuild service for TicketFlower's layout components.
// Reads one JSON request per line on stdin, writes one JSON answer per line on stdout:
//   {"op": "compile", "source": "..."}  -> {"ok": true, "code": "...", "imports": [...]}
//                                        | {"ok": false, "errors": [{"text", "line", "column"}]}
//   {"op": "runtime", "outfile": "..."}  -> {"ok": true}   (bundles React once, for the sandbox)
import * as esbuild from "esbuild";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ALLOWED = new Set(["react", "react/jsx-runtime"]);

function located(messages) {
  return messages.map((m) => ({
    text: m.text,
    line: m.location ? m.location.line : null,
    column: m.location ? m.location.column + 1 : null,
  }));
}

async function compile(source) {
  let result;
  try {
    result = await esbuild.build({
      stdin: { contents: source, loader: "jsx", sourcefile: "component.jsx", resolveDir: root },
      bundle: true,
      write: false,
      metafile: true,
      format: "iife",
      globalName: "TFComponent",
      jsx: "automatic",
      packages: "external",
      target: "es2020",
      logLevel: "silent",
    });
  } catch (failure) {
    return { ok: false, errors: located(failure.errors || [{ text: String(failure) }]) };
  }
  const input = result.metafile.inputs["component.jsx"] || { imports: [] };
  const imports = [...new Set(input.imports.map((i) => i.path))];
  const refused = imports.filter((p) => !ALLOWED.has(p));
  if (refused.length) {
    return {
      ok: false,
      errors: refused.map((p) => ({
        text: `Only "react" may be imported, not "${p}".`,
        line: lineOf(source, p),
        column: null,
      })),
    };
  }
  return { ok: true, code: result.outputFiles[0].text, imports };
}

function lineOf(source, specifier) {
  const lines = source.split("\n");
  const index = lines.findIndex((l) => l.includes(`"${specifier}"`) || l.includes(`'${specifier}'`));
  return index < 0 ? null : index + 1;
}

async function runtime(outfile) {
  await esbuild.build({
    stdin: {
      contents: [
        'import * as React from "react";',
        'import * as jsxRuntime from "react/jsx-runtime";',
        'import { createRoot } from "react-dom/client";',
        "const modules = { react: React, 'react/jsx-runtime': jsxRuntime };",
        "window.require = (name) => { if (name in modules) return modules[name];",
        "  throw new Error('Only react may be imported'); };",
        "window.TFRuntime = { React, createRoot };",
      ].join("\n"),
      resolveDir: root,
      loader: "js",
    },
    bundle: true,
    minify: true,
    format: "iife",
    define: { "process.env.NODE_ENV": '"production"' },
    outfile,
    logLevel: "silent",
  });
  return { ok: true };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    const request = JSON.parse(line);
    answer = request.op === "runtime" ? await runtime(request.outfile) : await compile(request.source);
  } catch (error) {
    answer = { ok: false, errors: [{ text: String(error), line: null, column: null }] };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
