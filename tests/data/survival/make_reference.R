# Reference outputs of R's survival package (and base R stats) for ramunet.stats tests.
#
# Regenerate (from the repository root; needs R >= 4.2 with the survival package,
# e.g. `apt-get install -y r-base-core r-cran-survival`):
#
#     Rscript tests/data/survival/make_reference.R
#
# It rewrites every CSV in tests/data/survival/. The Python tests read these files and never
# need R. Generated with R 4.2.2 and survival 3.5-3 (Therneau T, A Package for Survival
# Analysis in R; Therneau & Grambsch 2000). Values are written with 15 significant digits;
# "NA" marks a value R reports as missing (e.g. a log-log limit where S = 1 or S = 0).
#
# Data sets: `aml` (Miller 1981) and `lung` (Loprinzi et al. 1994, status recoded 0/1)
# from the survival package, plus small edge cases.
#
# Files: input_<data>.csv (time, status 0/1, group); km_<data>_<loglog|log|plain>.csv
# (survfit step table; std_err = summary.survfit's std.err of S, std_err_cumhaz =
# survfit()$std.err); km_<data>_loglog_90.csv (limits at level 0.90); km_at_*.csv
# (summary(fit, times, extend = TRUE)); medians.csv (median and limits as print.survfit
# reports them, i.e. summary(fit)$table, beside quantile(fit, 0.5), which differs when a
# curve ends exactly at 0.5); survdiff.csv; coxph.csv (ties = "efron", default control);
# summaries_reference.csv and its inputs (binom.test, wilcox.test, fisher.test, glm).

suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
out <- function(df, name) {
  write.csv(format(df, digits = 15), file.path(here, name), row.names = FALSE, quote = FALSE)
}

datasets <- list(
  aml = data.frame(time = aml$time, status = aml$status,
                   group = ifelse(aml$x == "Maintained", "maintained", "nonmaintained")),
  lung = data.frame(time = lung$time, status = lung$status - 1,
                    group = ifelse(lung$sex == 1, "male", "female")),
  # events and censorings tied at the same times
  ties = data.frame(time = c(2, 2, 2, 3, 3, 5, 5, 5, 5, 8, 8, 9),
                    status = c(1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1),
                    group = c("a", "b", "a", "b", "a", "a", "b", "b", "a", "b", "a", "b")),
  # every subject censored
  all_censored = data.frame(time = c(3, 5, 5, 8), status = c(0, 0, 0, 0),
                            group = c("a", "b", "a", "b")),
  # curve ends above 0.5: no median, no upper limit
  above_half = data.frame(time = c(1, 2, 3, 4, 5, 6, 7, 8), status = c(1, 0, 1, 0, 0, 0, 0, 0),
                          group = c("a", "b", "a", "b", "a", "b", "a", "b")),
  # curve exactly 0.5 on a flat stretch from t = 2 (censoring at 3) until the drop at t = 4
  flat_half = data.frame(time = c(1, 2, 3, 4), status = c(1, 1, 0, 1),
                         group = c("a", "b", "a", "b")),
  # curve ends at exactly 0.5 (never drops below): median is the mid-point to the last time
  ends_at_half = data.frame(time = c(1, 2, 3, 4), status = c(1, 1, 0, 0),
                            group = c("a", "b", "a", "b")),
  # one subject with an event
  single_event = data.frame(time = c(7), status = c(1), group = c("a")),
  # one subject censored
  single_censored = data.frame(time = c(7), status = c(0), group = c("a"))
)
at_times <- list(
  aml = c(0, 5, 9, 10, 12, 30, 48, 100, 161, 200),
  lung = c(0, 100, 180, 183.5, 365, 730, 1022, 1100),
  ties = c(0, 1.5, 2, 4, 5, 8.5, 9, 12),
  all_censored = c(0, 4, 5, 10),
  above_half = c(0, 1, 2.5, 8, 9),
  flat_half = c(0, 2, 3, 3.5, 4, 6),
  ends_at_half = c(0, 2, 3, 4, 6),
  single_event = c(0, 6.9, 7, 8),
  single_censored = c(0, 7, 8)
)

medians <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]
  out(d, sprintf("input_%s.csv", name))
  for (ct in c("log-log", "log", "plain")) {
    fit <- survfit(Surv(time, status) ~ 1, data = d, conf.type = ct, conf.int = 0.95)
    tag <- gsub("-", "", ct)
    out(data.frame(time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
                   n_censor = fit$n.censor, surv = fit$surv,
                   std_err = fit$surv * fit$std.err, std_err_cumhaz = fit$std.err,
                   lower = fit$lower, upper = fit$upper),
        sprintf("km_%s_%s.csv", name, tag))
    s <- summary(fit, times = at_times[[name]], extend = TRUE)
    out(data.frame(time = s$time, n_risk = s$n.risk, surv = s$surv, std_err = s$std.err,
                   lower = s$lower, upper = s$upper),
        sprintf("km_at_%s_%s.csv", name, tag))
    # print.survfit's median and limits (summary(fit)$table, survival:::survmean); R's
    # quantile() differs only when the curve ends exactly at 0.5 (kept for comparison)
    tab <- summary(fit)$table
    q <- quantile(fit, probs = 0.5)
    medians[[length(medians) + 1]] <- data.frame(
      dataset = name, conf_type = ct, median = unname(tab["median"]),
      lower = unname(tab["0.95LCL"]), upper = unname(tab["0.95UCL"]),
      quantile_median = unname(q$quantile), quantile_lower = unname(q$lower),
      quantile_upper = unname(q$upper))
    # the same at level 0.90 for the log-log default
    if (ct == "log-log") {
      fit90 <- survfit(Surv(time, status) ~ 1, data = d, conf.type = ct, conf.int = 0.90)
      tab90 <- summary(fit90)$table
      q90 <- quantile(fit90, probs = 0.5)
      out(data.frame(time = fit90$time, lower = fit90$lower, upper = fit90$upper),
          sprintf("km_%s_loglog_90.csv", name))
      medians[[length(medians) + 1]] <- data.frame(
        dataset = name, conf_type = "log-log-90", median = unname(tab90["median"]),
        lower = unname(tab90["0.9LCL"]), upper = unname(tab90["0.9UCL"]),
        quantile_median = unname(q90$quantile), quantile_lower = unname(q90$lower),
        quantile_upper = unname(q90$upper))
    }
  }
}
out(do.call(rbind, medians), "medians.csv")

# survdiff (log-rank, rho = 0) and coxph (Efron ties) for two-group data sets
lr_rows <- list()
cox_rows <- list()
for (name in c("aml", "lung", "ties")) {
  d <- datasets[[name]]
  sd <- survdiff(Surv(time, status) ~ group, data = d)
  p <- pchisq(sd$chisq, df = length(sd$n) - 1, lower.tail = FALSE)
  lr_rows[[name]] <- data.frame(dataset = name, group = sub("group=", "", names(sd$n)),
                                n = as.vector(sd$n), observed = sd$obs, expected = sd$exp,
                                variance = diag(sd$var), chisq = sd$chisq,
                                df = length(sd$n) - 1, p = p)
  # covariate: indicator of the second level (alphabetical), as R's factor coding does
  d$x <- as.integer(d$group == sort(unique(d$group))[2])
  fit <- coxph(Surv(time, status) ~ x, data = d, ties = "efron")
  sm <- summary(fit)
  cox_rows[[name]] <- data.frame(
    dataset = name, reference = sort(unique(d$group))[1], compared = sort(unique(d$group))[2],
    coef = unname(coef(fit)), hr = unname(exp(coef(fit))), se = unname(sqrt(fit$var[1, 1])),
    z = sm$coefficients[1, "z"], p = sm$coefficients[1, "Pr(>|z|)"],
    lower = sm$conf.int[1, "lower .95"], upper = sm$conf.int[1, "upper .95"],
    loglik_null = fit$loglik[1], loglik = fit$loglik[2],
    lr = unname(sm$logtest["test"]), lr_p = unname(sm$logtest["pvalue"]),
    score = unname(sm$sctest["test"]), score_p = unname(sm$sctest["pvalue"]),
    iterations = fit$iter)
}
# three groups: survdiff on lung by ph.ecog 0/1/2 (3 dropped: one patient; NA dropped)
l3 <- lung[!is.na(lung$ph.ecog) & lung$ph.ecog < 3, ]
d3 <- data.frame(time = l3$time, status = l3$status - 1, group = paste0("ecog", l3$ph.ecog))
out(d3, "input_lung_ecog.csv")
sd <- survdiff(Surv(time, status) ~ group, data = d3)
lr_rows[["lung_ecog"]] <- data.frame(
  dataset = "lung_ecog", group = sub("group=", "", names(sd$n)), n = as.vector(sd$n),
  observed = sd$obs, expected = sd$exp, variance = diag(sd$var), chisq = sd$chisq,
  df = length(sd$n) - 1, p = pchisq(sd$chisq, df = length(sd$n) - 1, lower.tail = FALSE))
out(do.call(rbind, lr_rows), "survdiff.csv")
out(do.call(rbind, cox_rows), "coxph.csv")

# ---------------------------------------------------------------------------------------------
# Summaries (tests/stats/test_response.py, test_biochemical.py, test_biomarkers.py,
# test_logistic.py): binom.test (Clopper-Pearson), wilcox.test, fisher.test and glm(binomial).
# Written as key,value rows to summaries_reference.csv.
ref <- list()
put <- function(key, value) ref[[length(ref) + 1]] <<- data.frame(key = key, value = value)
ci <- binom.test(11, 45)$conf.int
put("orr_lower", ci[1]); put("orr_upper", ci[2])
ci <- binom.test(34, 45)$conf.int
put("dcr_lower", ci[1]); put("dcr_upper", ci[2])
ci <- binom.test(1, 4)$conf.int
put("cga_lower", ci[1]); put("cga_upper", ci[2])

# Mann-Whitney: responders (x) against non-responders (y)
mw_x <- c(12.1, 15.3, 9.8, 20.4, 18.2, 14.7)
mw_y <- c(8.2, 10.5, 7.9, 11.3, 9.1, 13.0, 6.4)
w <- wilcox.test(mw_x, mw_y)  # no ties, both n < 50: exact
put("mw_exact_w", unname(w$statistic)); put("mw_exact_p", w$p.value)
mw_tx <- c(1, 2, 2, 3, 5, 5, 6)
mw_ty <- c(2, 3, 3, 4, 4, 1)
w <- suppressWarnings(wilcox.test(mw_tx, mw_ty))  # ties: normal approximation, continuity
put("mw_ties_w", unname(w$statistic)); put("mw_ties_p", w$p.value)
set.seed(20261124)
mw_lx <- round(rnorm(55, 10, 3), 6)
mw_ly <- round(rnorm(40, 9, 3), 6)
out(data.frame(value = c(mw_lx, mw_ly), responder = c(rep(1, 55), rep(0, 40))),
    "input_mann_whitney_large.csv")
w <- wilcox.test(mw_lx, mw_ly)  # n.x >= 50: normal approximation
put("mw_large_w", unname(w$statistic)); put("mw_large_p", w$p.value)

# Fisher's exact test on rows (biomarker high, low) x columns (responder, non-responder)
f <- fisher.test(matrix(c(7, 3, 2, 8), nrow = 2))
put("fisher_p", f$p.value); put("fisher_or", unname(f$estimate))
put("fisher_or_lower", f$conf.int[1]); put("fisher_or_upper", f$conf.int[2])

# Logistic regression of response on one covariate (45 patients, 18 responders)
lg_x <- round(seq(0.5, 9.3, length.out = 45), 4)
lg_y <- as.integer((1:45 %% 5 == 0) | (1:45 > 22 & 1:45 %% 3 != 0))
out(data.frame(covariate = lg_x, responder = lg_y), "input_logistic.csv")
g <- glm(lg_y ~ lg_x, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
sg <- summary(g)$coefficients
put("logistic_intercept", sg[1, 1]); put("logistic_coef", sg[2, 1])
put("logistic_se", sg[2, 2]); put("logistic_z", sg[2, 3]); put("logistic_p", sg[2, 4])
put("logistic_or", exp(sg[2, 1]))
put("logistic_or_lower", exp(sg[2, 1] - qnorm(0.975) * sg[2, 2]))
put("logistic_or_upper", exp(sg[2, 1] + qnorm(0.975) * sg[2, 2]))
put("logistic_loglik", as.numeric(logLik(g)))
put("logistic_responders", sum(lg_y))
out(do.call(rbind, ref), "summaries_reference.csv")
