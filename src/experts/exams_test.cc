// Exams: the rules of exams.h.

#include "experts/exams.h"
