"""Quasi-Poisson log-linear fits batched over many rows that share one design matrix.

Farrington-type detectors fit one small GLM per series and evaluated week. The design matrix
depends only on the positions of the reference weeks relative to the evaluated week, so it is
the same for every row of a batch; only the responses and prior weights differ. IRLS is then a
few stacked p x p normal-equation solves (np.linalg.solve over a batch), instead of thousands of
separate statsmodels fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_ETA_MIN, _ETA_MAX = -30.0, 30.0
_MU_FLOOR = 1e-12


@dataclass
class QPFit:
    beta: np.ndarray  # (rows, p)
    mu: np.ndarray  # (rows, n) fitted means of the reference data
    cov_unscaled: np.ndarray  # (rows, p, p) (X' W X)^-1; multiply by phi for the covariance
    leverage: np.ndarray  # (rows, n) diagonal of the hat matrix
    phi: np.ndarray  # (rows,) dispersion, floored at 1 as in Farrington et al.


def _outer_rows(x: np.ndarray) -> np.ndarray:
    """Row-wise outer products flattened: (n, p*p), so X'WX for all rows is one matmul."""
    n, p = x.shape
    return (x[:, :, None] * x[:, None, :]).reshape(n, p * p)


def dispersion(y: np.ndarray, mu: np.ndarray, prior: np.ndarray, n_params: int) -> np.ndarray:
    """Pearson estimate sum w (y - mu)^2 / mu / (n - p), floored at 1 (no underdispersion)."""
    dof = y.shape[-1] - n_params
    if dof <= 0:
        raise ValueError("not enough reference points to estimate the dispersion")
    resid = y - mu
    pearson = prior * resid * resid / np.maximum(mu, _MU_FLOOR)
    return np.maximum(1.0, pearson.sum(axis=-1) / dof)


def fit_glm(x: np.ndarray, y: np.ndarray, prior: np.ndarray | None = None,
            beta: np.ndarray | None = None, max_iter: int = 25, tol: float = 1e-7,
            penalty: np.ndarray | None = None) -> QPFit:
    """Poisson-likelihood IRLS (log link) for every row of y with a shared design x.

    Rows stop iterating once their fitted means change by less than ``tol`` (relative; absolute
    for near-zero means), so a few slow rows do not keep the whole batch iterating.
    ``penalty`` (p,) adds a ridge term 1/2 sum penalty_j beta_j^2 to the negative
    log-likelihood (0 = plain maximum likelihood, the default); the covariance and leverage are
    then those of the penalised fit.
    """
    rows, n = y.shape
    p = x.shape[1]
    prior = np.ones_like(y) if prior is None else prior
    xx = _outer_rows(x)
    diag = np.arange(p)
    ridge = np.full(p, 1e-10) if penalty is None else np.asarray(penalty, float) + 1e-10
    if beta is None:
        eta = np.log(y + 0.1)  # R's glm start for Poisson: mu = y + 0.1
        beta = np.zeros((rows, p))
    else:
        beta = np.array(beta, dtype=float)
        eta = np.clip(beta @ x.T, _ETA_MIN, _ETA_MAX)
    mu = np.exp(eta)
    active = np.arange(rows)
    for _ in range(max_iter):
        if active.size == 0:
            break
        ya, pa, eta_a, mu_a = y[active], prior[active], eta[active], mu[active]
        w = pa * mu_a
        z = eta_a + (ya - mu_a) / mu_a
        a = (w @ xx).reshape(active.size, p, p)
        a[:, diag, diag] += ridge  # 1e-10 keeps all-zero factor levels solvable
        b = np.linalg.solve(a, ((w * z) @ x)[..., None])[..., 0]
        new_eta = np.clip(b @ x.T, _ETA_MIN, _ETA_MAX)
        new_mu = np.exp(new_eta)
        # Relative change in the means (absolute for near-zero means); zero-count levels drift
        # towards mu = 0 slowly in eta but converge immediately on this scale.
        change = np.max(np.abs(new_mu - mu_a) / (new_mu + 0.1), axis=1)
        beta[active], eta[active], mu[active] = b, new_eta, new_mu
        active = active[change >= tol]
    w = prior * mu
    a = (w @ xx).reshape(rows, p, p)
    a[:, diag, diag] += ridge
    cov = np.linalg.inv(a)
    leverage = w * (cov.reshape(rows, p * p) @ xx.T)
    phi = dispersion(y, mu, prior, p)
    return QPFit(beta=beta, mu=mu, cov_unscaled=cov, leverage=leverage, phi=phi)


def fit_factor(levels: np.ndarray, n_levels: int, y: np.ndarray,
               prior: np.ndarray | None = None) -> QPFit:
    """Closed-form fit of a model with only a factor (plus intercept): level weighted means.

    For a Poisson log-linear model whose columns span the level indicators, the score
    equations say each level's fitted mean equals its weighted mean count, so no iteration
    is needed; the hat matrix diagonal is w_i / (sum of w in the level).
    """
    prior = np.ones_like(y) if prior is None else prior
    onehot = np.zeros((levels.size, n_levels))
    onehot[np.arange(levels.size), levels] = 1.0
    wsum = prior @ onehot
    level_mean = (prior * y) @ onehot / np.maximum(wsum, _MU_FLOOR)
    mu = level_mean @ onehot.T
    leverage = prior / np.maximum(wsum @ onehot.T, _MU_FLOOR)
    # log-scale variance of the level-0 mean: 1 / (sum w * mu) within the level.
    info0 = wsum[:, 0] * level_mean[:, 0]
    cov = np.zeros((y.shape[0], n_levels, n_levels))
    cov[:, 0, 0] = 1.0 / np.maximum(info0, _MU_FLOOR)
    beta = np.log(np.maximum(level_mean, _MU_FLOOR))
    phi = dispersion(y, mu, prior, n_levels)
    return QPFit(beta=beta, mu=mu, cov_unscaled=cov, leverage=leverage, phi=phi)


def anscombe_residuals(y: np.ndarray, fit: QPFit) -> np.ndarray:
    """Standardised Anscombe residuals of a quasi-Poisson fit (Farrington et al. 1996, eq. 2)."""
    mu = np.maximum(fit.mu, _MU_FLOOR)
    one_minus_h = np.maximum(1.0 - fit.leverage, 1e-6)
    num = 1.5 * (np.cbrt(y) ** 2 - np.cbrt(mu) ** 2)
    return num / (mu ** (1.0 / 6.0) * np.sqrt(fit.phi[:, None] * one_minus_h))


def downweights(resid: np.ndarray, threshold: float) -> np.ndarray:
    """Weights s^-2 for residuals above threshold, 1 otherwise, rescaled to sum to n."""
    w = np.where(resid > threshold, 1.0 / np.maximum(resid, 1e-12) ** 2, 1.0)
    return w * (w.shape[-1] / w.sum(axis=-1, keepdims=True))


def fit_factor_trend(levels: np.ndarray, n_levels: int, t: np.ndarray, y: np.ndarray,
                     prior: np.ndarray | None = None, b_start: np.ndarray | None = None,
                     max_iter: int = 30, tol: float = 1e-7) -> QPFit:
    """MLE of log mu_i = a_{level(i)} + b t_i (a factor plus a linear trend), batched over rows.

    Same model and estimates as IRLS on the dummy-coded design (``fit_glm``), solved faster:
    for a fixed trend b the level effects have the closed form
    exp(a_l) = sum_l w y / sum_l w exp(b t), so only the 1-D profile score in b needs Newton
    steps, and X'WX has an arrow shape (diagonal level block plus one trend row) whose inverse
    entries follow from the Schur complement. ``beta`` holds (a_0, b): the log mean at t = 0 in
    level 0, and the trend; ``cov_unscaled`` is the matching 2 x 2 block of (X'WX)^-1.
    """
    rows, n = y.shape
    prior = np.ones_like(y) if prior is None else prior
    onehot = np.zeros((n, n_levels))
    onehot[np.arange(n), levels] = 1.0
    wy = prior * y
    y_l = wy @ onehot  # weighted counts per level
    wyt = wy @ t
    b = np.zeros(rows) if b_start is None else b_start.astype(float).copy()
    active = np.ones(rows, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        we = prior[idx] * np.exp(np.clip(b[idx, None] * t, _ETA_MIN, _ETA_MAX))
        wet = we * t
        a_l = we @ onehot
        bt_l = wet @ onehot
        ct_l = (wet * t) @ onehot
        safe = np.maximum(a_l, _MU_FLOOR)
        m1 = bt_l / safe
        score = wyt[idx] - (y_l[idx] * m1).sum(axis=1)
        info = (y_l[idx] * (ct_l / safe - m1**2)).sum(axis=1)
        step = np.clip(score / np.maximum(info, 1e-12), -1.0, 1.0)
        b[idx] += step
        active[idx] = np.abs(step) > tol
    e = np.exp(np.clip(b[:, None] * t, _ETA_MIN, _ETA_MAX))
    level_mean = y_l / np.maximum((prior * e) @ onehot, _MU_FLOOR)  # exp(a_l)
    mu = e * (level_mean @ onehot.T)
    w = prior * mu
    d_l = np.maximum(w @ onehot, _MU_FLOOR)
    bt_l = (w * t) @ onehot
    ratio = bt_l / d_l
    schur = np.maximum((w * t * t).sum(axis=1) - (bt_l * ratio).sum(axis=1), 1e-300)
    cov = np.empty((rows, 2, 2))
    cov[:, 0, 0] = 1.0 / d_l[:, 0] + ratio[:, 0] ** 2 / schur
    cov[:, 0, 1] = cov[:, 1, 0] = -ratio[:, 0] / schur
    cov[:, 1, 1] = 1.0 / schur
    lev_ratio = ratio @ onehot.T
    leverage = w * (1.0 / (d_l @ onehot.T) + (t - lev_ratio) ** 2 / schur[:, None])
    beta = np.column_stack([np.log(np.maximum(level_mean[:, 0], _MU_FLOOR)), b])
    phi = dispersion(y, mu, prior, n_levels + 1)
    return QPFit(beta=beta, mu=mu, cov_unscaled=cov, leverage=leverage, phi=phi)
