//! Turns the Fluent catalogues (`i18n/<language>/*.ftl`) into checked Rust:
//! one method on `i18n::Tr` per message of the reference language (French),
//! taking the message's variables as named arguments. A template or handler
//! that asks for a message that does not exist, or forgets an argument, does
//! not compile (the idea of lemmy's `crates/email/build.rs`).
//!
//! Every language folder is embedded; `tests` in `src/i18n` check that each
//! holds the same messages with the same variables as the reference.

use std::collections::{BTreeMap, BTreeSet};

/// Variables in the order they first appear in the reference message, so a
/// method's arguments read in the sentence's order.
type Vars = Vec<String>;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

const REFERENCE: &str = "fr";

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("i18n");
    println!("cargo:rerun-if-changed={}", root.display());

    let mut languages: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for entry in sorted_dir(&root) {
        if entry.is_dir() {
            println!("cargo:rerun-if-changed={}", entry.display());
            let files: Vec<PathBuf> = sorted_dir(&entry)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
                .collect();
            for f in &files {
                println!("cargo:rerun-if-changed={}", f.display());
            }
            let name = entry.file_name().unwrap().to_string_lossy().into_owned();
            languages.push((name, files));
        }
    }

    let mut out = String::new();
    out.push_str("/// Every catalogue, by language folder then file name.\n");
    out.push_str("pub(crate) static CATALOGUES: &[(&str, &[(&str, &str)])] = &[\n");
    for (lang, files) in &languages {
        writeln!(out, "    ({lang:?}, &[").unwrap();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy();
            writeln!(out, "        ({name:?}, include_str!({:?})),", f.display()).unwrap();
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n\n");

    let (_, reference_files) = languages
        .iter()
        .find(|(l, _)| l == REFERENCE)
        .expect("i18n/fr: the reference catalogue is missing");
    let messages = read_messages(reference_files);

    out.push_str("impl Tr {\n");
    for (id, message) in &messages {
        let Some(pattern) = &message.value else {
            continue;
        };
        let mut vars = Vars::new();
        variables_of(id, &messages, &mut vars, &mut BTreeSet::new());
        let method = method_name(id);
        let doc = pattern_text(pattern);
        for line in doc.lines() {
            writeln!(out, "    /// {}", line.trim_end()).unwrap();
        }
        let params: Vec<String> = vars
            .iter()
            .map(|v| format!("{}: impl Into<Arg>", param_name(v)))
            .collect();
        let args: Vec<String> = vars
            .iter()
            .map(|v| format!("({v:?}, {}.into())", param_name(v)))
            .collect();
        writeln!(
            out,
            "    pub fn {method}(&self{}{}) -> String {{\n        self.message({id:?}, &[{}])\n    }}",
            if params.is_empty() { "" } else { ", " },
            params.join(", "),
            args.join(", ")
        )
        .unwrap();
    }
    out.push_str("}\n");

    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("messages.rs");
    std::fs::write(dest, out).unwrap();
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

fn read_messages(files: &[PathBuf]) -> BTreeMap<String, ast::Message<String>> {
    let mut messages = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(file).unwrap();
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{}: {errors:?}", file.display()),
        };
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                if !m.attributes.is_empty() {
                    panic!(
                        "{}: {}: attributes are not used here; write a message of its own",
                        file.display(),
                        m.id.name
                    );
                }
                let id = m.id.name.clone();
                if messages.insert(id.clone(), m).is_some() {
                    panic!("{}: message {id} is defined twice", file.display());
                }
            }
        }
    }
    messages
}

/// The variables a message needs, including those of the messages it
/// references (Fluent passes the caller's arguments on to them).
fn variables_of(
    id: &str,
    messages: &BTreeMap<String, ast::Message<String>>,
    vars: &mut Vars,
    seen: &mut BTreeSet<String>,
) {
    if !seen.insert(id.to_owned()) {
        return;
    }
    let Some(pattern) = messages.get(id).and_then(|m| m.value.as_ref()) else {
        panic!("message {id} is referenced but not defined");
    };
    let mut refs = Vec::new();
    pattern_vars(pattern, vars, &mut refs);
    for r in refs {
        variables_of(&r, messages, vars, seen);
    }
}

fn pattern_vars(p: &ast::Pattern<String>, vars: &mut Vars, refs: &mut Vec<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars, refs);
        }
    }
}

fn expression_vars(e: &ast::Expression<String>, vars: &mut Vars, refs: &mut Vec<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars, refs);
            for v in variants {
                pattern_vars(&v.value, vars, refs);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars, refs),
    }
}

fn inline_vars(i: &ast::InlineExpression<String>, vars: &mut Vars, refs: &mut Vec<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } if !vars.contains(&id.name) => {
            vars.push(id.name.clone());
        }
        ast::InlineExpression::MessageReference { id, .. } => {
            refs.push(id.name.clone());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars, refs);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars, refs);
            }
        }
        ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for a in &arguments.positional {
                inline_vars(a, vars, refs);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars, refs);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars, refs),
        _ => {}
    }
}

/// The message as a translator wrote it, for the method's doc comment.
fn pattern_text(p: &ast::Pattern<String>) -> String {
    let mut s = String::new();
    for element in &p.elements {
        match element {
            ast::PatternElement::TextElement { value } => s.push_str(value),
            ast::PatternElement::Placeable { expression } => match expression {
                ast::Expression::Inline(ast::InlineExpression::VariableReference { id }) => {
                    write!(s, "{{${}}}", id.name).unwrap()
                }
                _ => s.push_str("{…}"),
            },
        }
    }
    s.replace('\t', " ")
}

fn method_name(id: &str) -> String {
    let name = id.replace('-', "_");
    if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

fn param_name(var: &str) -> String {
    method_name(var)
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "gen"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
    )
}
