/** Teacher adapters for models saved by DJL, including teachers Taqtir trained in a study. */
package org.taqtir.teacher.djl;
