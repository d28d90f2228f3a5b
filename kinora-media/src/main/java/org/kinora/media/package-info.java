/** See the module description. */
package org.kinora.media;
