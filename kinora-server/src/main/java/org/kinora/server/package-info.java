/** See the module description. */
package org.kinora.server;
