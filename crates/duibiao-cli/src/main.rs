//! `duibiao`: check standards, evaluate units against them, explain the results.

mod args;
mod fmt;
mod i18n;
mod io;
mod live;
mod serve;
mod sheets;
mod show;
mod test;

use args::{Command, Comparison, EvalFormat, Format, TemplateFormat};
use duibiao::protocol::{self, Response, Style};
use duibiao::{Detail, Lang, Problem, Standard};
use io::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn run(command: Command) -> Result<bool, Failed> {
    match command {
        Command::Check { file, lang, format } => {
            let lang = Lang::from(lang);
            if format == Format::Json {
                let name = file.display().to_string();
                let compiled = limits()
                    .read_source(&file)
                    .and_then(|source| Standard::compile_with(&name, &source, &limits()));
                return match compiled {
                    Ok(s) => respond(
                        "compile",
                        Some(&s),
                        s.warnings().to_vec(),
                        protocol::CompileBody::of(&s, None),
                    ),
                    Err(p) => {
                        let r: Response<protocol::EmptyBody> =
                            Response::new(Some("compile"), None, p.0, None);
                        let mut out = std::io::stdout().lock();
                        protocol::write_response(&mut out, &r, Style::Pretty)
                            .map_err(write_failed)?;
                        Ok(false)
                    }
                };
            }
            let s = compile(&file, lang)?;
            emit(&match lang {
                Lang::Zh => format!(
                    "{}：检查通过（{} 个警告）\n",
                    file.display(),
                    s.warnings().len()
                ),
                Lang::En => format!(
                    "{}: ok ({} warning(s))\n",
                    file.display(),
                    s.warnings().len()
                ),
            })?;
            Ok(true)
        }
        Command::Fmt { files, check, lang } => fmt::run(&files, check, Lang::from(lang)),
        Command::Eval {
            input,
            format,
            detail,
            out,
        } => {
            let lang = Lang::from(input.lang);
            if detail && format != EvalFormat::Json {
                report_usage(
                    "`--detail` 只用于 `--format json`",
                    "`--detail` goes with `--format json`",
                    lang,
                );
                return Err(Failed);
            }
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let detail = if detail {
                Detail::Conditions
            } else {
                Detail::Summary
            };
            let opts = options(&input, detail)?;
            let clean = problems.is_empty();
            if format == EvalFormat::Xlsx {
                sheets::eval_workbook(&s, &loaded, opts, out.as_ref(), lang)?;
                return Ok(clean);
            }
            let live = done(s.live(loaded, &opts), lang)?;
            warn_unresolved(live.unresolved_params(), lang);
            match format {
                EvalFormat::Json => {
                    let mut out = std::io::BufWriter::with_capacity(
                        show::OUT_BUFFER,
                        std::io::stdout().lock(),
                    );
                    protocol::write_evaluation(&mut out, &live, problems, detail, Style::Lines)
                        .and_then(|_| out.flush())
                        .map_err(write_failed)?;
                }
                _ => show::stream_table(&live, lang)?,
            }
            // The process ends next, and the system takes its memory back at once: freeing a
            // large forest and its evaluation value by value would only delay the exit (34 ms at
            // 10^6 units).
            std::mem::forget(live);
            Ok(clean)
        }
        Command::Explain {
            input,
            unit,
            format,
        } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Members)?;
            let e = s.explain(&loaded, &unit, &opts).map_err(|p| {
                let named: Vec<Problem> =
                    p.into_iter().map(|x| in_facts(x, &input.facts)).collect();
                report(&named, None, lang);
                Failed
            })?;
            warn_unresolved(&e.unresolved_params, lang);
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("explain", Some(&s), problems, e).map(|ok| ok && clean),
                _ => emit(&e.text).map(|_| clean),
            }
        }
        Command::Progress { input, format } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Summary)?;
            let p = protocol::ProgressBody::from(done(s.progress(&loaded, &opts), lang)?);
            // Exit 0 only when the input was clean and every hard target due is met.
            let met = p.all_hard_met;
            let clean = problems.is_empty() && met;
            match format {
                Format::Json => respond("progress", Some(&s), problems, p).map(|ok| ok && met),
                _ => emit(&show::progress_table(&p, lang)).map(|_| clean),
            }
        }
        Command::Gap {
            input,
            unit,
            to,
            format,
        } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Summary)?;
            let plan = done(s.gap(&loaded, &unit, &to, &opts), lang)?;
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("gap", Some(&s), problems, plan),
                _ => emit(&show::gap_text(&plan, lang)).map(|_| clean),
            }
        }
        Command::Diff {
            file,
            before,
            after,
            report:
                Comparison {
                    params,
                    format,
                    lang,
                },
        } => {
            let lang = Lang::from(lang);
            let s = compile(&file, lang)?;
            let (a, mut problems) = load_facts(&s, &before, lang)?;
            let (b, more) = load_facts(&s, &after, lang)?;
            problems.extend(more);
            let opts = param_options(&params, lang, Detail::Summary)?;
            let d = done(s.diff(&a, &b, &opts), lang)?;
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("diff", Some(&s), problems, d),
                _ => emit(&show::diff_text(&d, lang)).map(|_| clean),
            }
        }
        Command::Impact {
            current,
            revision,
            facts,
            report:
                Comparison {
                    params,
                    format,
                    lang,
                },
        } => {
            let lang = Lang::from(lang);
            let (a, b) = (compile(&current, lang)?, compile(&revision, lang)?);
            let (text, mut problems, cells) = sheets::facts_json(&a, &facts, lang)?;
            let opts = param_options(&params, lang, Detail::Summary)?;
            let name = facts.display().to_string();
            let (impact, loaded) = done(
                duibiao::impact::impact(&a, &b, (Some(&name), &text), &opts),
                lang,
            )?;
            problems.extend(match cells {
                Some(cells) => cells.locate(Some(&name), loaded),
                None => loaded,
            });
            let problems = checked(problems, lang)?;
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("impact", Some(&b), problems, impact),
                _ => emit(&show::impact_text(&impact, lang)).map(|_| clean),
            }
        }
        Command::Live { input } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Summary)?;
            let live = done(s.live(loaded, &opts), lang)?;
            warn_unresolved(live.unresolved_params(), lang);
            live::live_loop(live, lang, problems.is_empty())
        }
        Command::Serve {
            standards,
            addr,
            db,
            max_body,
            timeout,
            workers,
        } => {
            let mut config = duibiao_serve::Config::default();
            if let Some(n) = workers {
                config = config.workers(usize::from(n));
            }
            let config = config
                .standards(standards)
                .db(db)
                .max_body(max_body)
                .timeout(std::time::Duration::from_secs(timeout))
                .limits(limits());
            serve::run(config, &addr)
        }
        Command::Template {
            file,
            kind,
            format,
            out,
        } => {
            let s = compile(&file, Lang::Zh)?;
            match format {
                TemplateFormat::Json => sheets::template_json(&s, kind.as_deref(), out.as_ref()),
                TemplateFormat::Xlsx => {
                    sheets::template_workbook(&s, kind.as_deref(), out.as_ref())
                }
            }
        }
        Command::Convert {
            facts,
            into,
            standard,
            out,
            lang,
        } => sheets::convert(
            &facts,
            into,
            standard.as_ref(),
            out.as_ref(),
            Lang::from(lang),
        ),
        Command::Doc { file, out } => {
            let s = compile(&file, Lang::Zh)?;
            let page = duibiao::traceability::page(&s);
            let path = out.unwrap_or_else(|| {
                PathBuf::from("docs/standards").join(format!("{}.md", s.slug()))
            });
            if path.as_os_str() == "-" {
                emit(&page)?;
                return Ok(true);
            }
            let written = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&path, page));
            match written {
                Ok(()) => {
                    emit(&format!("{}\n", path.display()))?;
                    Ok(true)
                }
                Err(e) => {
                    eprintln!("error: cannot write `{}`: {e}", path.display());
                    eprintln!("错误：无法写入 `{}`", path.display());
                    Err(Failed)
                }
            }
        }
        Command::Schema => {
            emit(duibiao::FACTS_SCHEMA)?;
            Ok(true)
        }
        // `main` runs the cases, whose exit codes are three.
        Command::Test(args) => Ok(test::test(args) == 0),
        Command::Lsp => match duibiao_lsp::run_stdio(duibiao_lsp::Options {
            formatter: Some(format_for_lsp),
        }) {
            Ok(()) => Ok(true),
            Err(e) => {
                eprintln!("错误：语言服务器停止：{e}");
                eprintln!("error: the language server stopped: {e}");
                Err(Failed)
            }
        },
        Command::Gen {
            file,
            units,
            seed,
            shape,
            missing,
            veto,
            as_of,
            out,
        } => {
            let s = compile(&file, Lang::Zh)?;
            let shape_error = |e: duibiao::generate::ShapeError| {
                eprintln!("error: {e}");
                eprintln!("错误：{}", e.message_zh());
                Failed
            };
            let mut spec = duibiao::generate::Shape {
                missing,
                veto,
                as_of,
                ..Default::default()
            };
            for arg in &shape {
                for (kind, lo, hi) in
                    duibiao::generate::Shape::parse_fanout(arg).map_err(shape_error)?
                {
                    spec.fanout.insert(kind, (lo, hi));
                }
            }
            spec.check(&s).map_err(shape_error)?;
            let written = match &out {
                Some(path) => std::fs::File::create(path).and_then(|f| {
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                    duibiao::generate::write_forest(&s, units, seed, &spec, &mut w)
                }),
                None => {
                    let mut w =
                        std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
                    duibiao::generate::write_forest(&s, units, seed, &spec, &mut w)
                }
            };
            written.map(|_| true).map_err(|e| {
                let to = out.as_ref().map_or("standard output".to_string(), |p| {
                    format!("`{}`", p.display())
                });
                eprintln!("error: cannot write {to}: {e}");
                eprintln!("错误：无法写入 {to}");
                Failed
            })
        }
    }
}

/// What `duibiao fmt` makes of a standard's text, for the language server's formatting; `None`
/// when the text does not parse (its diagnostics already say why).
fn format_for_lsp(source: &str) -> Option<String> {
    duibiao::format_standard("", source, &limits()).ok()
}

/// A problem about the unit the command asked for (`F0015`), located in the facts file.
fn in_facts(p: Problem, facts: &Path) -> Problem {
    match &p.location {
        Some(duibiao::Location::Data { unit, key, .. }) if p.code == "F0015" => {
            let at = duibiao::Location::data(
                Some(&facts.display().to_string()),
                unit.as_deref(),
                key.as_deref(),
            );
            p.at(at)
        }
        _ => p,
    }
}

fn main() -> ExitCode {
    let cli = match i18n::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    limit_problems(cli.max_problems);
    set_limits(cli.limits());
    let lang = i18n::lang_of(&std::env::args_os().collect::<Vec<_>>());
    // `fmt` fails with 2 (a file it cannot format), as 1 says that a file is not formatted;
    // `test` has exit codes of its own (0 all pass, 1 a case fails, 2 cases cannot be run).
    let code = match cli.command {
        Command::Test(args) => test::test(args),
        command @ Command::Fmt { .. } => match run(command) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(Failed) => 2,
        },
        command => match run(command) {
            Ok(true) => 0,
            Ok(false) | Err(Failed) => 1,
        },
    };
    report_hidden(lang);
    ExitCode::from(code)
}
