/* Gauss–Hermite rules for expectations over a standard normal variable, by Golub–Welsch: the
 * nodes are the eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials and
 * the weights the squared first components of its eigenvectors. */
#ifndef DMFT_GAUSS_HERMITE_H
#define DMFT_GAUSS_HERMITE_H

/* nodes[n], weights[n] (summing to 1): E f(Z) ~ sum_i weights[i] f(nodes[i]), Z ~ N(0,1). */
int dmft__gauss_hermite(int n, double *nodes, double *weights);

#endif
