/** Result tables (Tablesaw) and charts (XChart, PNG) of a study run. */
package org.taqtir.report;
