/** Reads src/ with the TypeScript parser, for tests that check how the code is written. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const ROOT = path.join(__dirname, '..', '..', '..');

/** Every TypeScript source file under `dir` (relative to the repository), declaration files excluded. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .sort();
}

const parsed = new Map<string, ts.SourceFile>();

/** The file's syntax tree, parsed once per test process; `text` parses a sample instead of the file. */
export function parse(file: string, text?: string): ts.SourceFile {
  if (text !== undefined) return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(
      file,
      readFileSync(path.join(ROOT, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TS,
    );
    parsed.set(file, sf);
  }
  return sf;
}

/** A `let` or `var` declared at a module's top level (or a namespace's), where it outlives every call. */
export interface ModuleVariable {
  file: string;
  line: number;
  names: string[];
  exported: boolean;
}

export function moduleVariables(sf: ts.SourceFile): ModuleVariable[] {
  const found: ModuleVariable[] = [];
  const visit = (statements: ts.NodeArray<ts.Statement>): void => {
    for (const st of statements) {
      if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) visit(st.body.statements);
      if (!ts.isVariableStatement(st)) continue;
      // `const` and `using` bind once; what is left is `let` or `var`.
      if (st.declarationList.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using)) continue;
      found.push({
        file: sf.fileName,
        line: sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1,
        names: st.declarationList.declarations.map((d) => d.name.getText(sf)),
        exported: st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false,
      });
    }
  };
  visit(sf.statements);
  return found;
}

/** Every call in the file for which `match` holds, as `file:line`. */
export function calls(sf: ts.SourceFile, match: (call: ts.CallExpression) => boolean): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && match(node))
      found.push(`${sf.fileName}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** require(…) or import(…). */
export function isModuleLoad(call: ts.CallExpression): boolean {
  return (
    call.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(call.expression) && call.expression.text === 'require')
  );
}

/** vscode.commands.registerCommand(…) and its text-editor variant. */
export function isCommandRegistration(call: ts.CallExpression): boolean {
  return (
    ts.isPropertyAccessExpression(call.expression) && /^register(TextEditor)?Command$/.test(call.expression.name.text)
  );
}

export const describe = (v: ModuleVariable): string =>
  `${v.file}:${v.line} ${v.exported ? 'export ' : ''}let ${v.names.join(', ')}`;
